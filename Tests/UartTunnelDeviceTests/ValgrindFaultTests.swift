import UartTunnelTestSupport
import Foundation
import Testing
@testable import UartTunnelChecks
import UartTunnelWire

/// The device under valgrind with every fault kind injected: junk, loss, truncation, bit flips and byte drops
/// exercise the decoder's error paths and lwIP's drop paths; at exit nothing may be definitely or indirectly
/// lost and no invalid read, write or free may have happened. (The Swift runtime's own "conditional jump" in
/// metadata initialisation is a known valgrind false positive and is the one report tolerated.)
@Suite(.ownThreads) struct ValgrindFaultTests {
    @Test(.timeLimit(.minutes(10)))
    func faultInjectedDeviceRunsCleanUnderValgrind() throws {
        let valgrind = try #require(try? ChildProcess.resolve("valgrind"), "valgrind missing: scripts/install-deps installs it")
        // valgrind 3.19 can not read the DWARF 5 Swift emits: run a stripped copy.
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("uart-tunnel-vg-\(getpid())").path
        try? FileManager.default.removeItem(atPath: binary)
        try FileManager.default.copyItem(atPath: BuiltExecutable.uartTunnel, toPath: binary)
        defer { try? FileManager.default.removeItem(atPath: binary) }
        #expect(try ChildProcess.run(["strip", binary]).status == 0)

        let device = try ChildProcess([valgrind, "--leak-check=full", "--num-callers=8", binary, "device",
                                       "--listen", "127.0.0.1:0", "--log-level", "info",
                                       "--faults", "loss=0.05,drop-byte=0.0001,flip-bit=0.0001,truncate=0.002,seed=11"])
        // valgrind starts a Swift binary tens of times slower; beside a cold fuzz build in CI that took over 120 s.
        // The wait ends as soon as the device listens.
        let address = try ChildDevice.listeningAddress(of: device, name: "valgrind device", timeout: .seconds(360))
        let peer = try DevicePeer(connectingTo: address)
        for sequence in 0..<200 {
            try peer.send(frame: PacketBuilder.icmpEchoRequest(identifier: 0x7A16, sequence: UInt16(sequence)))
            if sequence % 20 == 0 { try peer.send(raw: [0xFF, 0xFF, 0x00, 0x07] + [UInt8](repeating: 0x42, count: 300)) }
            _ = try peer.collectFrames(for: .milliseconds(10))  // paces the requests; every frame stays in `seen`
        }
        // One stream handled in order: once a later ping is answered, every reply to the 200 that will ever come
        // has come, however slowly valgrind runs (faults hit the later pings too, so some tries may go unanswered).
        var fenced = false
        for attempt in 0..<12 where !fenced {
            fenced = try peer.ping(identifier: 0x7A17, sequence: UInt16(attempt), within: .seconds(5)) != nil
        }
        #expect(fenced, "no ping after the faulty stream was answered")
        let answered = peer.seen.filter { frame in
            guard let ethernet = EthernetFrame(frame), let ip = IPv4Packet(ethernet.payload),
                  let echo = ICMPEcho(ip.payload) else { return false }
            return echo.identifier == 0x7A16 && !echo.isRequest
        }.count
        #expect(answered > 40, "the device kept answering under faults (\(answered) of 200)")
        #expect(device.terminate(grace: .seconds(60)) == 0, "\(device.output.suffix(2000))")

        let log = device.output
        #expect(log.contains("definitely lost: 0 bytes in 0 blocks") || log.contains("All heap blocks were freed"),
                "\(log.suffix(3000))")
        #expect(log.contains("indirectly lost: 0 bytes in 0 blocks") || log.contains("All heap blocks were freed"))
        for invalid in ["Invalid read", "Invalid write", "Invalid free", "Mismatched free"] {
            #expect(!log.contains(invalid), "valgrind: \(invalid)\n\(log.suffix(3000))")
        }
        let conditionalJumps = log.components(separatedBy: "Conditional jump or move depends on uninitialised value(s)\n")
            .dropFirst()
        for report in conditionalJumps {
            #expect(report.split(separator: "\n").first?.contains("libswiftCore.so") == true,
                    "an uninitialised-value report outside the Swift runtime:\n\(report.prefix(1500))")
        }
        #expect(log.contains("rx faults:"), "the final log line lists the injected faults")
    }
}
