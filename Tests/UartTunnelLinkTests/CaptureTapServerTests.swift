import Foundation
import Testing
import UartTunnelChecks
import UartTunnelSystem
import UartTunnelTestSupport
@testable import UartTunnelLink
import UartTunnelWire

/// The live tap never holds the device up: a client that stops reading is disconnected once it is 4 MiB behind,
/// while every `record` call returns; a client that reads gets a pcapng stream from the moment it connected.
@Suite(.serialized, .ownThreads)
struct CaptureTapServerTests {
    static func waitFor(_ condition: () -> Bool) -> Bool {
        for _ in 0..<400 where !condition() { usleep(10_000) }
        return condition()
    }

    @Test func aClientThatNeverReadsIsDroppedAndTheTapGoesOn() throws {
        let tap = try CaptureTap(rawPath: nil, packetPath: nil, packetFormat: .pcapng, rate: nil, frameTimeout: .seconds(1),
                                 tapAddress: SocketAddress(host: "127.0.0.1", port: 0))
        defer { tap.close() }
        let address = try #require(tap.tapAddress)
        let stalled = try TCPSocket.connect(to: address, timeout: .seconds(5), receiveBufferBytes: 4096)
        defer { stalled.close() }
        #expect(Self.waitFor { tap.status.tapClients == 1 }, "the tap never accepted the client")
        let record = try RecordEncoder.encode(PacketBuilder.icmpEchoRequest(sequence: 1, payload: [UInt8](repeating: 0x5A, count: 1400)))
        // 16 MiB of UART bytes and as many decoded frames: far more than the queue and the kernel's buffers hold.
        let start = ContinuousClock.now
        for index in 0..<(16 * 1024 * 1024 / record.count) {
            record.withUnsafeBytes { tap.record(.rx, $0, at: start + .microseconds(index)) }
        }
        let status = tap.status
        #expect(status.tapClientsDropped == 1 && status.tapClients == 0, "\(status)")
        #expect(status.frames == 16 * 1024 * 1024 / record.count)
    }

    @Test func aReadingClientGetsAPcapngFromWhenItConnected() throws {
        let tap = try CaptureTap(rawPath: nil, packetPath: nil, packetFormat: .pcapng, rate: nil, frameTimeout: .seconds(1),
                                 tapAddress: SocketAddress(host: "127.0.0.1", port: 0))
        let record = try RecordEncoder.encode(PacketBuilder.icmpEchoRequest(sequence: 1))
        record.withUnsafeBytes { tap.record(.rx, $0, at: .now) }  // before the client: not in its stream
        let client = try TCPSocket.connect(to: #require(tap.tapAddress), timeout: .seconds(5))
        defer { client.close() }
        #expect(Self.waitFor { tap.status.tapClients == 1 })
        tap.note("connected 127.0.0.1:9", at: .now)
        record.withUnsafeBytes { tap.record(.rx, $0, at: .now) }
        tap.close()  // ends the stream: the client reads to the end
        var stream: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        for _ in 0..<1000 {
            let count = try client.read(into: &buffer)
            if count == 0 { break }
            stream += buffer[0..<count]
        }
        let file = try CaptureFile(stream, plain: false, direction: .tx)
        #expect(file.records.map(\.kind) == [.note, .rx], "only what crossed after the client connected")
        #expect(file.records.last?.bytes == record)
    }
}
