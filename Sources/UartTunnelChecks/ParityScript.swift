import UartTunnelWire

/// The input both drivers get in `check parity`: the same bytes, in the same order, with the same pauses.
public struct ParityStep: Sendable {
    public let name: String
    public let bytes: [UInt8]
    /// Silence after the bytes before the output is collected (e.g. to let a partial frame time out).
    public let pause: Duration
}

public enum ParityScript {
    static func record(_ frame: [UInt8]) -> [UInt8] { (try? RecordEncoder.encode(frame)) ?? [] }

    static func ping(_ sequence: UInt16, payload: Int) -> [UInt8] {
        record(PacketBuilder.icmpEchoRequest(identifier: 0x9A21, sequence: sequence,
                                             payload: (0..<payload).map { UInt8(truncatingIfNeeded: $0 &* 13) }))
    }

    /// `frameTimeout` is the devices' partial-frame timeout; pauses exceed it.
    public static func steps(frameTimeout: Duration = .seconds(1)) -> [ParityStep] {
        let silence = frameTimeout + .milliseconds(300)
        // Pings come before any ARP from the host: until then only a static entry tells the device the gateway's
        // MAC (an ARP request from .1 would teach it), so a driver without one shows itself at once.
        var steps: [ParityStep] = []
        for (index, size) in [56, 0, 1, 18, 100, 512, 1000, 1472].enumerated() {
            steps.append(ParityStep(name: "ICMP echo, \(size) data bytes", bytes: ping(UInt16(index + 1), payload: size),
                                    pause: .zero))
        }
        steps.append(ParityStep(name: "ARP request for the device", bytes: record(PacketBuilder.arpRequest()), pause: .zero))
        var trailer = PacketBuilder.icmpEchoRequest(identifier: 0x9A21, sequence: 100, payload: [UInt8](repeating: 0xA5, count: 1472))
        trailer += [0xDE, 0xAD, 0xBE, 0xEF]
        steps += [
            ParityStep(name: "1518-byte frame (1514 + 4 trailer bytes)", bytes: record(trailer), pause: .zero),
            ParityStep(name: "UDP to a closed port", bytes: record(PacketBuilder.udp(srcPort: 40000, dstPort: 9999,
                                                                                   payload: Array("parity".utf8))),
                       pause: .zero),
            ParityStep(name: "TCP SYN to port 80", bytes: record(PacketBuilder.tcp(srcPort: 40001, dstPort: 80,
                sequence: 1000, flags: .syn)), pause: .zero),
            ParityStep(name: "TCP RST closing it", bytes: record(PacketBuilder.tcp(srcPort: 40001, dstPort: 80,
                sequence: 1001, flags: .rst)), pause: .zero),
            ParityStep(name: "TCP SYN to a closed port", bytes: record(PacketBuilder.tcp(srcPort: 40002, dstPort: 81,
                sequence: 2000, flags: .syn)), pause: .zero),
            ParityStep(name: "invalid lengths 0, 5, 1519, 0xFFFF then a ping",
                       bytes: [0x00, 0x00, 0x00, 0x05, 0x05, 0xEF, 0xFF, 0xFF] + ping(200, payload: 56), pause: .zero),
            ParityStep(name: "partial frame, silence, then a ping",
                       bytes: Array(ping(201, payload: 56).prefix(30)), pause: silence),
            ParityStep(name: "after the partial frame", bytes: ping(202, payload: 56), pause: .zero),
        ]
        var generator = SplitMix64(seed: 0xA11CE)
        let junk = (0..<2048).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        steps += [
            ParityStep(name: "2 KB of junk, silence", bytes: junk, pause: silence),
            ParityStep(name: "after the junk", bytes: ping(203, payload: 56), pause: .zero),
            ParityStep(name: "unknown EtherType", bytes: record(PacketBuilder.ethernet(etherType: 0x88B5,
                payload: [UInt8](repeating: 0x55, count: 46))), pause: .zero),
        ]
        return steps
    }
}
