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
            devices = try [left, right].map { driver in
                let device = try ChildDevice(tool: tool, arguments: driver.arguments, name: driver.name)
                return (device.process, try DevicePeer(connectingTo: device.address))
            }
        } catch {
            report.run(Self.name, "start \(left.name) and \(right.name) devices") { throw error }
            return
        }
        defer { for (child, _) in devices { child.terminate() } }
        pause(.milliseconds(200))  // both have accepted their peer before the first step

        for (index, step) in ParityScript.steps().enumerated() {
            report.run(Self.name, "\(index + 1). \(step.name)") {
                var outputs: [[[UInt8]]] = []
                for (_, peer) in devices { try peer.send(raw: step.bytes) }
                pause(step.pause)
                for (_, peer) in devices {
                    outputs.append(try peer.collectFrames(untilQuietFor: quiet, limit: .seconds(3)))
                }
                // A side that is merely slower (a loaded machine) gets up to 2 s more to catch up before the
                // counts are held against it.
                for index in 0..<2 where outputs[index].count < outputs[1 - index].count {
                    let deadline = ContinuousClock.now + .seconds(2)
                    while outputs[index].count < outputs[1 - index].count, ContinuousClock.now < deadline {
                        outputs[index] += try devices[index].1.collectFrames(untilQuietFor: quiet, limit: .seconds(2))
                    }
                }
                return try Self.compare(outputs[0], outputs[1], names: (left.name, right.name))
            }
        }
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
