import Foundation
import UartTunnelSystem
import UartTunnelWire

/// Two device drivers, the same input, the same output: each driver runs as its own `uart-tunnel device`
/// process (lwIP is one stack per process), both get every step of `ParityScript`, and their output records
/// are compared after `ParityNormalizer`. A difference is reported with the record number and a hex diff.
public struct ParitySuite {
    public static let name = "parity"
    public let tool: String
    public let left: (name: String, arguments: [String])
    public let right: (name: String, arguments: [String])
    /// Each step's output is collected until the device has been quiet this long (at most 3 s).
    public var quiet: Duration = .milliseconds(200)

    /// `arguments` are extra `uart-tunnel device` arguments, e.g. `["--driver", "firmware"]`.
    public init(tool: String, left: (String, [String]), right: (String, [String])) {
        self.tool = tool
        self.left = (left.0, left.1)
        self.right = (right.0, right.1)
    }

    public func run(into report: CheckReport) {
        let devices: [(ChildProcess, DevicePeer)]
        do {
            // Both devices start (compile, listen) at once.
            let started = concurrently([left, right].map { driver in { [tool] in
                Result { () throws -> Unchecked<(ChildProcess, DevicePeer)> in
                    let device = try ChildDevice(tool: tool, arguments: driver.arguments, name: driver.name)
                    return Unchecked((device.process, try DevicePeer(connectingTo: device.address)))
                }
            } })
            devices = try started.map { try $0.get().value }
        } catch {
            report.run(Self.name, "start \(left.name) and \(right.name) devices") { throw error }
            return
        }
        defer { for (child, _) in devices { child.terminate() } }
        pause(.milliseconds(200))  // both have accepted their peer before the first step
        // What a device says on its own at start-up (the link-up gratuitous ARP reaches a peer that connected
        // before the firmware's netif came up, as on a chip) is not part of the script: drained, not compared.
        _ = try? Self.collect(devices.map { Unchecked($0.1) }) { [quiet] peer, _ in
            try peer.collectFrames(untilQuietFor: quiet, limit: .seconds(2))
        }

        for (index, step) in ParityScript.steps().enumerated() {
            report.run(Self.name, "\(index + 1). \(step.name)") {
                for (_, peer) in devices { try peer.send(raw: step.bytes) }
                pause(step.pause)
                // Each side's output until it has been quiet for `quiet`, both sides watched at once: the two
                // quiet windows overlap instead of following each other. A side that is merely slower (a loaded
                // machine) gets up to 2 s more to catch up before the counts are held against it.
                let peers = devices.map { Unchecked($0.1) }
                var outputs = try Self.collect(peers) { [quiet] peer, _ in
                    try peer.collectFrames(untilQuietFor: quiet, limit: .seconds(3))
                }
                if outputs[0].count != outputs[1].count {
                    let counts = outputs.map(\.count)
                    let more = try Self.collect(peers) { [quiet] peer, index in
                        var extra: [[UInt8]] = []
                        let deadline = ContinuousClock.now + .seconds(2)
                        while counts[index] + extra.count < counts[1 - index], ContinuousClock.now < deadline {
                            extra += try peer.collectFrames(untilQuietFor: quiet, limit: .seconds(2))
                        }
                        return extra
                    }
                    outputs = zip(outputs, more).map { $0 + $1 }
                }
                return try Self.compare(outputs[0], outputs[1], names: (left.name, right.name))
            }
        }
    }

    /// `body` for each peer on a thread of its own, results in the peers' order; the first error is thrown.
    private static func collect(_ peers: [Unchecked<DevicePeer>],
                                _ body: @escaping @Sendable (DevicePeer, Int) throws -> [[UInt8]]) throws -> [[[UInt8]]] {
        try concurrently(peers.enumerated().map { index, peer in
            { Result { Unchecked(try body(peer.value, index)) } }
        }).map { try $0.get().value }
    }

    /// "same: 1 record" or a failure naming the first differing record.
    static func compare(_ a: [[UInt8]], _ b: [[UInt8]], names: (String, String)) throws -> String {
        for index in 0..<max(a.count, b.count) {
            guard index < a.count, index < b.count else {
                let (who, extra) = index < a.count ? (names.0, a[index]) : (names.1, b[index])
                throw CheckFailure("record \(index + 1): only \(who) sent one: \(describe(frame: extra)) "
                    + "(\(names.0) \(a.count) records, \(names.1) \(b.count))")
            }
            if let offset = ParityNormalizer.difference(a[index], b[index]) {
                throw CheckFailure("record \(index + 1) differs at byte \(offset): \(names.0) "
                    + "\(describe(frame: a[index])) / \(names.1) \(describe(frame: b[index]))\n"
                    + ParityNormalizer.hexDiff(a[index], b[index]))
            }
        }
        return "same: \(a.count) record" + (a.count == 1 ? "" : "s")
    }
}

/// A value handed to another thread that only that thread uses meanwhile (a peer's socket and decoder).
struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
