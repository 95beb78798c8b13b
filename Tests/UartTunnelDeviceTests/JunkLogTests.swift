import Foundation
import Testing
import UartTunnelChecks
import UartTunnelSystem
import UartTunnelTestSupport
import UartTunnelWire

/// 10 MiB of junk on the line: the device's counters see every bad length, but its log does not grow with the junk
/// (one warning per two bytes wrote 46.5 MB before the warnings were rate-limited).
@Suite(.ownThreads) struct JunkLogTests {
    @Test func tenMebibytesOfJunkWriteABoundedLog() throws {
        let child = try ChildProcess([BuiltExecutable.uartTunnel, "device", "--listen", "127.0.0.1:0", "--http-port", "0"])
        let address = try ChildDevice.listeningAddress(of: child, name: "swift")
        let peer = try DevicePeer(connectingTo: address)
        // 0xFF bytes: every length reads 65535, so each 2 bytes are one bad length and nothing ever decodes
        let junk = [UInt8](repeating: 0xFF, count: 1 << 20)
        for _ in 0..<10 { try peer.send(raw: junk) }
        // the device has read all of it once a ping after the junk is answered
        let reply = try peer.ping(identifier: 0x10, sequence: 1, within: .seconds(30))
        #expect(reply != nil, "the device recovers after the junk")
        #expect(child.terminate() == 0)
        let output = child.output
        #expect(output.utf8.count < 64 * 1024, "log of \(output.utf8.count) bytes for 10 MiB of junk")
        #expect(output.contains("similar lines suppressed") || output.components(separatedBy: "Invalid frame length").count < 200,
                "the rate limit says what it left out")
        let summary = try #require(output.firstMatch(of: /bad lengths (\d+)/).flatMap { Int($0.1) })
        #expect(summary == 5 << 20, "every bad length counted: \(summary)")
    }
}
