import Foundation
import Testing
import Synchronization
import UartTunnelLink
import UartTunnelSystem
import UartTunnelTestSupport
@testable import UartTunnelChecks
import UartTunnelWire

/// A peer that connects to a firmware device and never reads (issue 15 item 1). On a UART without flow control the
/// firmware's TX never waits for the receiver: bytes leave at line rate whether anyone listens or not, and
/// uart_write_bytes blocks only while its own TX ring is full (ESP-IDF v5.4 uart_write_bytes → uart_tx_all); the
/// host models that ring at the --baud line rate (UartTxPacingTests), never at the peer's pace. The link holds back what it can for the peer, then drops whole
/// records, counted. Each claim is proved by counters or by bytes moved, not by timing, except the 1 s SIGTERM bound.
@Suite(.ownThreads) struct StalledPeerTests {
    @Test func aPeerThatNeverReadsStallsNeitherFirmwareTXNorRXNorSIGTERM() throws {
        // A paced line (2 Mbaud) keeps the firmware's RX task from saturating the machine, so a UART overflow here
        // could only come from the stalled peer.
        let device = try FirmwareDeviceProcess(["--driver", "firmware", "--baud", "2000000"])
        let peer = try TCPSocket.connect(to: device.address, receiveBufferBytes: 4096)
        defer { peer.close() }
        // a small send buffer too (no autotuning): what we wrote and the device has not read sits in its buffer only
        var small: Int32 = 4096
        setsockopt(peer.rawValue, SOL_SOCKET, SO_SNDBUF, &small, socklen_t(MemoryLayout<Int32>.size))

        var sequence: UInt16 = 0
        var sentBytes = 0
        /// Writes one 1400-byte ping record; false if the device took none of it for 10 s (its RX stalled).
        func sendPing() throws -> Bool {
            sequence &+= 1
            let record = try RecordEncoder.encode(PacketBuilder.icmpEchoRequest(
                identifier: 0x5741, sequence: sequence, payload: [UInt8](repeating: 0x5A, count: 1400)))
            var offset = 0
            while offset < record.count {
                guard try !Poll.ready(reading: [], writing: [peer], timeout: .seconds(10)).writable.isEmpty else {
                    return false
                }
                offset += try peer.sendIfReady(record, from: offset) ?? 0
            }
            sentBytes += record.count
            return true
        }

        // (1) Flood until the link says the peer is not reading (its queue and the sockets are full).
        var stalled = false
        for batch in 0..<400 where !stalled {
            for _ in 0..<100 { try #require(try sendPing(), "RX stalled in batch \(batch): \(device.output.suffix(1500))") }
            stalled = device.output.contains("is not reading")
        }
        try #require(stalled, "40,000 echo requests never filled the link: \(device.output.suffix(1500))")
        #expect(device.output.contains("peer 127.0.0.1:"), "the warning names the peer")

        // (2) RX keeps flowing during the stall: each record the link drops is the reply to a request the firmware
        // received and answered after the queue was full. Go on until the link's next report counts them.
        var reported = false
        for _ in 0..<40_000 where !reported {
            try #require(try sendPing(), "RX stalled after the stall began: \(device.output.suffix(1500))")
            reported = device.output.contains("is still not reading: ")
        }
        try #require(reported, "\(device.output.suffix(1500))")
        let during = try #require(device.output.firstMatch(of: /is still not reading: (\d+) TX records/).flatMap { Int($0.1) })
        #expect(during > 0)

        // (3) SIGTERM ends the device at once although the peer still holds it.
        let signalled = ContinuousClock.now
        kill(device.child.pid, SIGTERM)
        let status = device.child.wait(timeout: .seconds(10))
        let took = ContinuousClock.now - signalled
        #expect(status == 0, "\(device.output.suffix(1500))")
        #expect(took < .seconds(1), "SIGTERM took \(took)")

        // (4) The firmware's TX never blocked: each dropped record is a write that returned after the queue was full.
        let summary = try #require(device.output.split(separator: "\n").last { $0.contains("stopped by signal 15") })
        let dropped = try #require(summary.firstMatch(of: /dropped peer not reading (\d+)/).flatMap { Int($0.1) })
        #expect(dropped > 100, "\(summary)")
        // stop() lets the stalled peer go and says what it held back
        #expect(device.output.contains(": \(dropped) records dropped because it did not read"),
                "\(device.output.suffix(1500))")
        // No false UART overflow: the firmware's RX task kept reading its ring throughout.
        #expect(!device.output.contains("uart-rx-overflow"), "\(device.defectLines)")
        #expect(device.defectLines.isEmpty, "\(device.defectLines)")
    }

    /// While the peer is attached, `/api/status` (``DeviceStatus/stalledPeer``, from the link) names it with what
    /// was held back and dropped, the same counts the link's counters have.
    @Test func theLinkNamesTheStalledPeerWithWhatItHeldBack() throws {
        let link = try TCPServerLink(listenOn: SocketAddress(host: "127.0.0.1", port: 0), logger: .init(label: "test"))
        let flag = ConnectionFlag()
        link.start(delivering: flag)
        defer { link.stop() }
        let peer = try TCPSocket.connect(to: link.address, receiveBufferBytes: 4096)
        defer { peer.close() }
        for _ in 0..<1000 where !flag.connected { usleep(5_000) }
        try #require(flag.connected && link.stalledPeer == nil, "a reading peer is not named")
        let record = try RecordEncoder.encode([UInt8](repeating: 0x33, count: 1500))
        // bounded: far more than the queue (256 KiB) and any socket buffers
        for _ in 0..<50_000 where link.counters.recordsDroppedPeerNotReading < 10 { link.send(record) }
        let stalled = try #require(link.stalledPeer, "\(link.counters)")
        #expect(stalled.peer == (try TCPSocket.localAddress(of: peer)).description)
        #expect(stalled.droppedRecords == link.counters.recordsDroppedPeerNotReading)
        #expect(stalled.queuedBytes == link.queuedBytes && stalled.queuedBytes > 0)
    }
}

/// Records only that a peer connected.
private final class ConnectionFlag: ByteStreamReceiver, @unchecked Sendable {
    private let flag = Atomic(false)
    var connected: Bool { flag.load(ordering: .acquiring) }
    func linkConnected(peer: String) { flag.store(true, ordering: .releasing) }
    func linkReceived(_ bytes: UnsafeRawBufferPointer, at time: ContinuousClock.Instant) {}
    func linkIdle(at time: ContinuousClock.Instant) {}
    func linkDisconnected(reason: String) {}
    var nextDeadline: ContinuousClock.Instant? { nil }
}
