import UartTunnelTestSupport
import Foundation
import Synchronization
import Testing
import UartTunnelChecks
import UartTunnelLink
import UartTunnelSystem
import UartTunnelWire

/// A peer that connects and never reads: `send` must keep returning (the caller is often lwIP's core thread),
/// RX must keep flowing, what is dropped must be whole records and counted, and `stop()` / SIGTERM must not
/// wait for the peer. Every bound here is seconds where the work takes milliseconds; every claim is proved by
/// content or by counters, not by timing.
@Suite(.serialized, .ownThreads) struct TCPServerLinkBackpressureTests {
    /// Smallest SO_RCVBUF the peer asks for (the kernel doubles it and applies its minimum).
    static let peerReceiveBuffer: Int32 = 4096
    /// A flood never sends more records than this: far more than the link's queue plus any socket buffers.
    static let floodLimit = 20_000

    @Test func aPeerThatDoesNotReadBlocksNeitherSendsNorRXAndLosesOnlyWholeCountedRecords() throws {
        let link = try TCPServerLink(listenOn: SocketAddress(host: "127.0.0.1", port: 0))
        let receiver = RecordingReceiver()
        link.start(delivering: receiver)
        defer { link.stop() }
        let peer = try TCPSocket.connect(to: link.address, receiveBufferBytes: Self.peerReceiveBuffer)
        defer { peer.close() }
        try #require(receiver.wait(timeout: .seconds(10)) { $0.connected == 1 }, "the link never took the peer")

        // (1) Flood TX until the link drops records because the peer does not read; every call must return.
        let first = Flood(link: link, from: 0, stopWhen: { $0.recordsDroppedPeerNotReading >= 50 })
        try #require(first.finished(within: .seconds(60)),
                     "send blocked: \(first.tally.calls) calls returned, then one did not")
        let afterFirst = link.counters
        note("non-reading peer: \(first.tally.calls) sends returned, \(afterFirst.recordsOut) taken, "
            + "\(afterFirst.recordsDroppedPeerNotReading) dropped, \(link.queuedBytes) B queued, "
            + "\(afterFirst.bytesOut) B in the socket")
        try #require(afterFirst.recordsDroppedPeerNotReading > 0,
                     "\(Self.floodLimit) records never filled the link's queue: \(afterFirst)")
        #expect(link.queuedBytes <= TCPServerLink.transmitQueueLimit)

        // (2) RX while TX is backed up and still being flooded: bytes the peer writes reach the receiver intact.
        // The peer has read nothing, so its socket is full and the link's queue stays full throughout.
        let second = Flood(link: link, from: UInt32(first.tally.calls), stopWhen: { _ in false })
        let marker = (0..<(48 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 8 &+ 7) }
        try peer.writeAll(marker)
        let delivered = receiver.wait(timeout: .seconds(10)) { $0.bytes.count >= marker.count }
        second.stop()
        try #require(second.finished(within: .seconds(30)),
                     "send blocked while RX was flowing: \(second.tally.calls) calls returned, then one did not")
        try #require(delivered, "RX stalled: \(receiver.count) of \(marker.count) bytes reached the receiver")
        #expect(receiver.state.withLock { $0.bytes } == marker, "RX bytes differ from what the peer wrote")
        let afterSecond = link.counters
        #expect(afterSecond.recordsDroppedPeerNotReading > afterFirst.recordsDroppedPeerNotReading,
                "TX was not backed up while RX delivered")
        #expect(afterSecond.bytesIn == marker.count)

        // (3) The peer finally reads: whole valid records, in order, and exactly the dropped ones missing.
        let sent = first.tally.calls + second.tally.calls
        let counters = link.counters
        #expect(counters.recordsOut + counters.recordsDroppedPeerNotReading == sent, "\(counters), \(sent) sent")
        #expect(counters.recordsWithoutPeer == 0 && counters.writeErrors == 0, "\(counters)")
        var decoder = RecordDecoder(timeout: .seconds(3600))  // reading pace is not under test
        var sequences: [UInt32] = []
        var damaged = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        let deadline = ContinuousClock.now + .seconds(60)
        while sequences.count + damaged < counters.recordsOut, ContinuousClock.now < deadline {
            guard try peer.waitReadable(timeout: .seconds(1)) else { continue }
            let count = try peer.read(into: buffer)
            if count == 0 { break }
            decoder.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), now: .now) { event in
                if case .frame(let frame) = event, let sequence = Flood.sequence(in: frame) {
                    sequences.append(sequence)
                } else {
                    damaged += 1
                }
            }
        }
        // Nothing more may follow (a late byte would be a partial or extra record).
        let extra = try peer.waitReadable(timeout: .milliseconds(300)) ? try peer.read(into: buffer) : 0
        let missing = sent - sequences.count
        note("non-reading peer then read: \(sequences.count) whole records of \(sent) sent, \(missing) missing, "
            + "link counted \(counters.recordsDroppedPeerNotReading) dropped; decoder \(decoder.counters)")
        #expect(damaged == 0 && decoder.counters.badLengths == 0 && decoder.counters.timeouts == 0,
                "the peer saw a damaged stream: \(decoder.counters)")
        #expect(decoder.isIdle && extra == 0, "the stream ended inside a record")
        #expect(sequences.count == counters.recordsOut)
        #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $0 < $1 }, "records out of order or repeated")
        #expect(missing == counters.recordsDroppedPeerNotReading,
                "the peer misses \(missing) records, the link counted \(counters.recordsDroppedPeerNotReading)")
        #expect(Set(sequences).isSubset(of: Set(0..<UInt32(sent))))
        #expect(link.queuedBytes == 0)
    }

    @Test func stopReturnsWhileThePeerStillDoesNotRead() throws {
        let link = try TCPServerLink(listenOn: SocketAddress(host: "127.0.0.1", port: 0))
        let receiver = RecordingReceiver()
        link.start(delivering: receiver)
        let peer = try TCPSocket.connect(to: link.address, receiveBufferBytes: Self.peerReceiveBuffer)
        defer { peer.close() }
        try #require(receiver.wait(timeout: .seconds(10)) { $0.connected == 1 }, "the link never took the peer")
        let flood = Flood(link: link, from: 0, stopWhen: { $0.recordsDroppedPeerNotReading >= 10 })
        try #require(flood.finished(within: .seconds(60)), "send blocked after \(flood.tally.calls) calls")
        try #require(link.counters.recordsDroppedPeerNotReading > 0, "TX never backed up: \(link.counters)")

        // stop() on its own thread, so a hang fails the test instead of hanging the run.
        let started = ContinuousClock.now
        let stopped = Background("stop") { link.stop() }
        try #require(stopped.finished(within: .seconds(5)), "stop() did not return while the peer was not reading")
        note("stop() with a non-reading peer and a full TX queue returned in \(ContinuousClock.now - started)")
        #expect(receiver.wait(timeout: .seconds(5)) { $0.disconnected == 1 }, "the reader did not let the peer go")
        #expect(!link.send(Flood.record(UInt32.max)), "a stopped link took a record")
        #expect(link.queuedBytes == 0)
    }

    /// A stalled peer that leaves takes its queue with it: the next peer starts at a record boundary with only
    /// records sent after it attached, and a continuation of a record begun on the old connection goes nowhere.
    @Test func theNextPeerGetsNothingOfAStalledPredecessorsQueue() throws {
        let link = try TCPServerLink(listenOn: SocketAddress(host: "127.0.0.1", port: 0))
        let receiver = RecordingReceiver()
        link.start(delivering: receiver)
        defer { link.stop() }
        let stalled = try TCPSocket.connect(to: link.address, receiveBufferBytes: Self.peerReceiveBuffer)
        try #require(receiver.wait(timeout: .seconds(10)) { $0.connected == 1 }, "the link never took the peer")
        let flood = Flood(link: link, from: 0, stopWhen: { $0.recordsDroppedPeerNotReading > 0 })
        try #require(flood.finished(within: .seconds(60)), "send blocked after \(flood.tally.calls) calls")
        try #require(link.queuedBytes > 0, "TX never backed up: \(link.counters)")
        stalled.close()
        try #require(receiver.wait(timeout: .seconds(10)) { $0.disconnected == 1 }, "the link kept the stalled peer")
        #expect(link.queuedBytes == 0)

        let next = try TCPSocket.connect(to: link.address)
        defer { next.close() }
        try #require(receiver.wait(timeout: .seconds(10)) { $0.connected == 2 }, "the link never took the next peer")
        #expect(link.send([0x00, 0x01, 0x02], continuing: 1) == nil)
        #expect(link.counters.recordsCutAtPeerChange == 1)
        let sequences: [UInt32] = Array(1_000_000..<1_000_010)
        for sequence in sequences { #expect(link.send(Flood.record(sequence))) }
        let read = try readTimed(next, count: sequences.count * Flood.recordSize, timeout: .seconds(10))
        var decoder = RecordDecoder(timeout: .seconds(3600))
        var received: [UInt32] = []
        decoder.feed(read.bytes, now: .now) { event in
            if case .frame(let frame) = event, let sequence = Flood.sequence(in: frame) { received.append(sequence) }
        }
        #expect(received == sequences, "the next peer got \(received.count) records: \(decoder.counters)")
        #expect(decoder.counters.badLengths == 0 && decoder.isIdle, "\(decoder.counters)")
        #expect(link.counters.connections == 2 && link.counters.disconnections == 1)
    }

    /// `uart-tunnel device` with a peer that never reads and a ping flood: RX keeps flowing to the driver, TX
    /// records are dropped and counted, and SIGTERM, sent while the flood goes on, still ends the device promptly.
    @Test(.enabled(if: Tools.hasUartTunnel, "the uart-tunnel executable is not built next to the tests"))
    func sigtermEndsADeviceWhosePeerDoesNotRead() throws {
        let device = try DeviceProcess([])
        let peer = try TCPSocket.connect(to: device.address, receiveBufferBytes: Self.peerReceiveBuffer)
        // Full-size echo requests: each reply is a 1514-byte frame the peer never reads.
        let payload = (0..<1472).map { UInt8(truncatingIfNeeded: $0) }
        let batch = (0..<100).flatMap { sequence in
            try! RecordEncoder.encode(PacketBuilder.icmpEchoRequest(identifier: 0xB10C, sequence: UInt16(sequence),
                                                                    payload: payload))
        }
        let tally = PingTally()
        // Floods until the device goes away (a write fails) or 10^6 pings went; between two batches, when asked,
        // writes an invalid length the driver logs, a marker on RX at a record boundary.
        let flooder = Background("ping flood") {
            for _ in 0..<10_000 where !tally.stop.load(ordering: .relaxed) {
                if tally.markerWanted.load(ordering: .relaxed) && tally.pingsBeforeMarker.load(ordering: .relaxed) < 0 {
                    guard (try? peer.writeAll([0x00, 0x05])) != nil else { break }
                    tally.pingsBeforeMarker.store(tally.written.load(ordering: .relaxed), ordering: .relaxed)
                }
                guard (try? peer.writeAll(batch)) != nil else {
                    tally.endedByError.store(true, ordering: .relaxed)
                    break
                }
                tally.written.add(100, ordering: .relaxed)
            }
        }
        defer {
            tally.stop.store(true, ordering: .relaxed)
            peer.shutdown()
            // The flooder must be done with the socket before it is closed (its number could be reused).
            if flooder.finished(within: .seconds(30)) { peer.close() }
        }
        let backedUp = device.child.waitForOutput(containing: "is not reading", timeout: .seconds(60))
        try #require(backedUp, "the device never dropped a record for the non-reading peer after \(tally.written.load(ordering: .relaxed)) pings: \(device.child.output.suffix(800))")
        // TX is backed up (the peer has read nothing); the flood goes on. The driver logging the marker proves
        // RX reached it, and, by stream order, every ping written before the marker did too.
        tally.markerWanted.store(true, ordering: .relaxed)
        try #require(device.child.waitForOutput(containing: "Invalid frame length: 5", timeout: .seconds(30)),
                     "RX did not reach the driver while TX was backed up (\(tally.written.load(ordering: .relaxed)) pings written): \(device.child.output.suffix(800))")
        let beforeMarker = tally.pingsBeforeMarker.load(ordering: .relaxed)

        let started = ContinuousClock.now
        kill(device.child.pid, SIGTERM)
        let status = device.child.wait(timeout: .seconds(5))
        let took = ContinuousClock.now - started
        if status == nil { device.child.terminate(grace: .zero) }
        let flooded = flooder.finished(within: .seconds(30))
        let pings = tally.written.load(ordering: .relaxed)
        let summary = device.child.output.split(separator: "\n").last { $0.contains("stopped by signal") }
            .map(String.init) ?? device.child.output.suffix(800).description
        note("device with a non-reading peer, \(beforeMarker) full-size pings before the RX marker, \(pings) in all: "
            + "SIGTERM to exit \(took); \(summary)")
        try #require(status == 0, "SIGTERM did not end the device within 5 s: \(summary)")
        #expect(flooded && tally.endedByError.load(ordering: .relaxed),
                "the flood was not still running when the device went away")
        let dropped = try #require(integer(after: "dropped peer not reading ", in: summary), "\(summary)")
        #expect(dropped > 0, "\(summary)")
        let frames = try #require(integer(after: "stopped by signal 15: rx ", in: summary), "\(summary)")
        #expect(frames >= beforeMarker, "\(summary)")
    }
}

final class PingTally: Sendable {
    let written = Atomic(0)
    let stop = Atomic(false)
    let markerWanted = Atomic(false)
    let pingsBeforeMarker = Atomic(-1)
    let endedByError = Atomic(false)
}

/// Sends numbered full-size records to a link from its own thread until `stopWhen` holds, `stop()` is called or
/// ``TCPServerLinkBackpressureTests/floodLimit`` records went, counting the calls that returned.
final class Flood: @unchecked Sendable {
    struct Tally: Sendable {
        var calls = 0
        var taken = 0
    }

    static let recordSize = WireFormat.lengthPrefixSize + WireFormat.maxFrameLength
    private let state = Mutex(Tally())
    private let stopping = Atomic(false)
    private var thread: Background!

    init(link: TCPServerLink, from first: UInt32, stopWhen: @escaping @Sendable (LinkCounters) -> Bool) {
        thread = Background("flood") { [self] in
            for sequence in first..<(first + UInt32(TCPServerLinkBackpressureTests.floodLimit)) {
                if stopping.load(ordering: .relaxed) || stopWhen(link.counters) { break }
                let taken = link.send(Self.record(sequence))
                state.withLock {
                    $0.calls += 1
                    $0.taken += taken ? 1 : 0
                }
            }
        }
    }

    var tally: Tally { state.withLock { $0 } }
    func stop() { stopping.store(true, ordering: .relaxed) }
    func finished(within timeout: Duration) -> Bool { thread.finished(within: timeout) }

    /// A record with a 1518-byte frame: Ethernet header (local experimental type 0x88B5), the sequence number
    /// big-endian, then bytes derived from it, so a frame spliced from two records is recognised.
    static func record(_ sequence: UInt32) -> [UInt8] {
        var frame = MACAddress.host.bytes + MACAddress.device.bytes + [0x88, 0xB5]
        frame += withUnsafeBytes(of: sequence.bigEndian, Array.init)
        frame += (frame.count..<WireFormat.maxFrameLength).map { filler(sequence, $0) }
        return try! RecordEncoder.encode(frame)
    }

    /// The sequence number of a frame `record` made, nil for anything else.
    static func sequence(in frame: [UInt8]) -> UInt32? {
        guard frame.count == WireFormat.maxFrameLength, frame[12] == 0x88, frame[13] == 0xB5 else { return nil }
        let sequence = frame[14..<18].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        for index in 18..<frame.count where frame[index] != filler(sequence, index) { return nil }
        return sequence
    }

    private static func filler(_ sequence: UInt32, _ index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: sequence &* 2_654_435_761 >> 13 &+ UInt32(index) &* 7)
    }
}

/// Runs `body` on its own thread. `finished(within:)` waits for it without joining, so a call that blocks fails
/// the test instead of hanging the run.
final class Background: Sendable {
    private let done = Atomic(false)

    init(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            body()
            done.store(true, ordering: .releasing)
        }
        thread.name = name
        thread.start()
    }

    func finished(within timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !done.load(ordering: .acquiring) {
            if ContinuousClock.now >= deadline { return false }
            usleep(2000)
        }
        return true
    }
}
