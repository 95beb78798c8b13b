import UartTunnelSystem
import UartTunnelWire

/// Do the device and this end agree on the largest frame (`--max-frame`, `CONFIG_UART_TUNNEL_MAX_FRAME`)? Plays a
/// bridge whose limit is `maxFrame` and probes the device with frames of growing size, each way on its own:
///
/// ```
///  RX (bridge → device): UDP to a closed port in an N-byte frame → ICMP port unreachable (small) means the
///                        device took the frame whole; silence means it skipped the length (or lost the frame)
///  TX (device → bridge): ICMP echo in an N-byte frame → the reply is N bytes too; none, or a shorter one, means
///                        the device refuses (or truncates) frames it would send at that size
/// ```
///
/// A refused probe leaves the device's decoder out of step for up to its partial-frame timeout, so the next probe
/// waits that long first. The report names the end that refuses and the limits that would agree.
public struct FrameLimitSuite {
    public let address: SocketAddress
    public let maxFrame: Int
    public let frameTimeout: Duration
    public let label: String

    public init(address: SocketAddress, maxFrame: Int, frameTimeout: Duration = .seconds(1), label: String = "max frame") {
        self.address = address
        self.maxFrame = maxFrame
        self.frameTimeout = frameTimeout
        self.label = label
    }

    /// Frame sizes probed: a full MTU-1500 frame, then steps to this end's largest (MTU + 14 = maxFrame - 4).
    public var sizes: [Int] {
        let largest = WireFormat.mtu(forMaxFrame: maxFrame) + EthernetFrame.headerLength
        return Array(Set([1514, 4014, 8042, largest].filter { $0 <= largest })).sorted()
    }

    static let rxName = "device takes frames up to this end's max frame"
    static let txName = "device sends frames up to this end's max frame, whole"

    public func run(into report: CheckReport) {
        var refusedRX: Int?
        var largestRX = 0
        var sequence: UInt16 = 0x4D00
        report.run(label, Self.rxName + " (\(maxFrame))") {
            for size in sizes {
                sequence &+= 1
                if try probeReceive(size: size, port: 40000 &+ sequence) {
                    largestRX = size
                } else {
                    refusedRX = size
                    break
                }
            }
            if let refusedRX {
                guard largestRX > 0 else { throw CheckFailure("the device answers no probe, not even a \(sizes[0])-byte frame") }
                throw CheckFailure("the device refuses frames above \(largestRX) bytes: a \(refusedRX)-byte frame from "
                    + "this end (max frame \(maxFrame)) got no answer, so its length was skipped as invalid. Give the "
                    + "device the same limit (`device --max-frame \(maxFrame)`, CONFIG_UART_TUNNEL_MAX_FRAME=\(maxFrame)) "
                    + "or give the bridge the device's limit (--max-frame \(WireFormat.maxFrameLength) unless the device opted into jumbo frames)")
            }
            return "\(sizes.map(String.init).joined(separator: ", ")) B taken"
        }
        report.run(label, Self.txName) {
            var answered: [Int] = []
            for size in sizes where refusedRX.map({ size < $0 }) ?? true {
                sequence &+= 1
                let reply = try probeEcho(size: size, sequence: sequence)
                guard let reply else {
                    throw CheckFailure("the device took a \(size)-byte echo request but sent no \(size)-byte reply: it "
                        + "refuses to send frames of that size (its TX limit or lwIP MTU is below its RX limit)"
                        + (answered.isEmpty ? "" : "; replies up to \(answered.last!) B were whole"))
                }
                guard reply == size else {
                    throw CheckFailure("the device truncates: a \(size)-byte echo request got a \(reply)-byte reply")
                }
                answered.append(size)
            }
            if let refusedRX { return "up to \(answered.last ?? 0) B whole (larger not tried: refused on RX at \(refusedRX) B)" }
            return "\(answered.map(String.init).joined(separator: ", ")) B whole"
        }
    }

    /// True when the device answered a UDP datagram to a closed port carried in a `size`-byte frame.
    private func probeReceive(size: Int, port: UInt16) throws -> Bool {
        let peer = try DevicePeer(connectingTo: address, frameTimeout: frameTimeout, maxFrame: maxFrame)
        let frame = PacketBuilder.udp(srcPort: 40000, dstPort: port, payload: [UInt8](repeating: 0, count: size - 42))
        try peer.send(frame: frame)
        let answer = try peer.receiveFrame(within: .seconds(3)) { reply in
            guard let ethernet = EthernetFrame(reply), let ip = IPv4Packet(ethernet.payload), ip.protocol == IPProtocol.icmp
            else { return false }
            // ICMP destination unreachable (3), port unreachable (3), quoting our datagram's ports.
            let icmp = Array(ip.payload)
            return icmp.count >= 8 + 20 + 4 && icmp[0] == 3 && icmp[1] == 3
                && UInt16(icmp[30]) << 8 | UInt16(icmp[31]) == port
        }
        if answer == nil { pause(frameTimeout + .milliseconds(300)) }  // let the device's decoder find its feet
        return answer != nil
    }

    /// The size of the device's echo reply to a `size`-byte echo request, nil when none came.
    private func probeEcho(size: Int, sequence: UInt16) throws -> Int? {
        let peer = try DevicePeer(connectingTo: address, frameTimeout: frameTimeout, maxFrame: maxFrame)
        let payload = (0..<(size - 42)).map { UInt8(truncatingIfNeeded: $0) }
        let reply = try peer.ping(identifier: 0x4D54, sequence: sequence, payload: payload, within: .seconds(3))
        if reply == nil { pause(frameTimeout + .milliseconds(300)) }
        return reply?.count
    }
}
