import Foundation
import Synchronization
import UartTunnelChecks
import UartTunnelLink
import UartTunnelSystem
import UartTunnelWire

/// Records what a link delivers, with the monotonic time of each delivery.
final class RecordingReceiver: ByteStreamReceiver, @unchecked Sendable {
    struct State {
        var bytes: [UInt8] = []
        var deliveries: [(count: Int, time: Int64)] = []
        var connected = 0
        var disconnected = 0
    }

    let state = Mutex(State())

    func linkConnected(peer: String) { state.withLock { $0.connected += 1 } }
    func linkReceived(_ bytes: UnsafeRawBufferPointer, at time: ContinuousClock.Instant) {
        let now = MonotonicTime.now()
        state.withLock {
            $0.bytes += bytes
            $0.deliveries.append((bytes.count, now))
        }
    }
    func linkIdle(at time: ContinuousClock.Instant) {}
    func linkDisconnected(reason: String) { state.withLock { $0.disconnected += 1 } }
    var nextDeadline: ContinuousClock.Instant? { nil }

    var count: Int { state.withLock { $0.bytes.count } }

    /// Polls until `condition` holds or `timeout` passes; returns whether it held.
    func wait(timeout: Duration, until condition: (State) -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if state.withLock({ condition($0) }) { return true }
            usleep(2000)
        }
        return state.withLock { condition($0) }
    }
}

/// Reads everything a socket receives, with the monotonic time of each read, until `count` bytes or `timeout`.
func readTimed(_ socket: Descriptor, count: Int, timeout: Duration) throws -> (bytes: [UInt8], first: Int64, last: Int64) {
    var bytes: [UInt8] = []
    var first: Int64 = 0
    var last: Int64 = 0
    let deadline = ContinuousClock.now + timeout
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 8)
    defer { buffer.deallocate() }
    while bytes.count < count, case let left = deadline - .now, left > .zero {
        guard try socket.waitReadable(timeout: left) else { break }
        let n = try socket.read(into: buffer)
        if n == 0 { break }
        let now = MonotonicTime.now()
        if bytes.isEmpty { first = now }
        last = now
        bytes += UnsafeRawBufferPointer(rebasing: buffer[0..<n])
    }
    return (bytes, first, last)
}

enum Tools {
    /// The `uart-tunnel` executable next to the test bundle (`swift build` puts both in .build/<config>).
    static var uartTunnel: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("uart-tunnel").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        for candidate in [".build/debug/uart-tunnel", ".build-link/debug/uart-tunnel"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return beside
    }

    static var hasUartTunnel: Bool { FileManager.default.isExecutableFile(atPath: uartTunnel) }

    static var tshark: String? {
        for path in ["/usr/bin/tshark", "/usr/local/bin/tshark", "/usr/sbin/tshark"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        return nil
    }

    /// Tests that read pcaps back run wherever tshark is installed, and as root always (there a missing tshark
    /// fails them: CI installs it with scripts/install-deps). Only a non-root run without tshark skips.
    static var tsharkTestsEnabled: Bool { tshark != nil || geteuid() == 0 }

    /// `tshark -r file -T fields -e …`: one array of fields per packet.
    static func tsharkFields(_ file: String, _ fields: [String], filter: String? = nil, options: [String] = []) throws -> [[String]] {
        guard let tshark else {
            throw CheckFailure("tshark is not installed: run scripts/install-deps (CI installs it) to check pcaps")
        }
        var arguments = [tshark, "-r", file, "-T", "fields", "-E", "separator=|", "-E", "occurrence=f"]
        if let filter { arguments += ["-Y", filter] }
        arguments += options
        for field in ["frame.number"] + fields { arguments += ["-e", field] }
        let result = try ChildProcess.run(arguments, timeout: .seconds(60))
        guard result.status == 0 else { throw CheckFailure("tshark failed (\(result.status)): \(result.output)") }
        return result.output.split(separator: "\n").map(String.init)
            .filter { !$0.contains("Running as user \"root\"") && !$0.isEmpty }
            .map { Array($0.split(separator: "|", omittingEmptySubsequences: false).map(String.init).dropFirst()) }
    }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ut-link-\(getpid())-\(UUID().uuidString.prefix(6))-\(name)").path
    }
}

/// A `uart-tunnel device` child on an ephemeral loopback port.
final class DeviceProcess: @unchecked Sendable {
    let child: ChildProcess
    let address: SocketAddress

    init(_ extra: [String]) throws {
        child = try ChildProcess([Tools.uartTunnel, "device", "--listen", "127.0.0.1:0", "--http-port", "8080",
                                  "--log-level", "info"] + extra)
        address = try ChildDevice.listeningAddress(of: child, name: "device")
    }

    /// SIGTERM and the final log line (the device prints its counters when it stops).
    func stop() -> String {
        child.terminate()
        return child.output.split(separator: "\n").last(where: { $0.contains("stopped by signal") }).map(String.init) ?? child.output
    }
}

/// `name N` out of a summary line, e.g. `integer(after: "bytes dropped ", in: line)`.
func integer(after label: String, in text: String) -> Int? {
    guard let range = text.range(of: label) else { return nil }
    return Int(text[range.upperBound...].prefix { $0.isNumber })
}

/// Back-to-back echo requests as one stream of records.
func pingStream(count: Int, identifier: UInt16 = 0x4C4B) -> [UInt8] {
    var stream: [UInt8] = []
    for sequence in 0..<count {
        try! RecordEncoder.append(PacketBuilder.icmpEchoRequest(identifier: identifier, sequence: UInt16(sequence)),
                                  to: &stream)
    }
    return stream
}
