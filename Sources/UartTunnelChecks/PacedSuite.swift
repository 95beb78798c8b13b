import Foundation
import UartTunnelWire

/// The device on a paced line (`--baud`): a ping must take at least the time its bytes need on the wire both
/// ways, and not much more. At 115200 8N1 a 56-byte ping is a 98-byte frame + 2 length bytes = 100 bytes each
/// way, 10 bits a byte: 2 × 8.68 ms = 17.36 ms.
public struct PacedSuite {
    public static let name = "paced"
    public let tool: String
    public let baud: Int
    /// How far above the serialisation minimum the median may be.
    public let slack: Duration = .milliseconds(1)

    public init(tool: String, baud: Int = 115_200) {
        self.tool = tool
        self.baud = baud
    }

    /// Serialisation time of `bytes` bytes each way at 8N1.
    public static func minimumRTT(bytesEachWay bytes: Int, baud: Int) -> Duration {
        .nanoseconds(Int64(2 * bytes * 10) * 1_000_000_000 / Int64(baud))
    }

    public func run(into report: CheckReport) {
        let model = Self.minimumRTT(bytesEachWay: 100, baud: baud)
        report.run(Self.name, "\(baud) 8N1: ping RTT at the serialisation minimum (\(model.milliseconds) ms)") {
            let device = try ChildDevice(tool: tool, arguments: ["--baud", "\(baud)"], name: "paced")
            defer { device.process.terminate() }
            let peer = try DevicePeer(connectingTo: device.address)
            var rtts: [Duration] = []
            for sequence in 1...10 {
                let started = ContinuousClock.now
                guard try peer.ping(identifier: 0x7ACE, sequence: UInt16(sequence)) != nil else {
                    throw CheckFailure("ping \(sequence) unanswered on the paced line")
                }
                rtts.append(ContinuousClock.now - started)
            }
            rtts.sort()
            let median = rtts[rtts.count / 2]
            try require(rtts[0] >= model, "min RTT \(rtts[0].milliseconds) ms beats the wire (\(model.milliseconds) ms): "
                + "the line is not paced")
            try require(median <= model + slack, "median RTT \(median.milliseconds) ms is more than "
                + "\(slack.milliseconds) ms above the model \(model.milliseconds) ms")
            return "min \(rtts[0].milliseconds) ms, median \(median.milliseconds) ms"
        }
    }
}

extension Duration {
    /// Milliseconds with two decimals, for reports.
    var milliseconds: String {
        let (seconds, attoseconds) = components
        return String(format: "%.2f", Double(seconds) * 1e3 + Double(attoseconds) / 1e15)
    }
}
