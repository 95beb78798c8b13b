import UartTunnelSystem
import UartTunnelWire

/// Black-box conformance of a device's UART endpoint (ours, or anything that speaks the seed's framing on TCP):
/// only what a bridge on the wire can observe. Each malformed input is followed by a valid ping that must still
/// be answered, which is how a misaligned decoder shows itself.
public struct DeviceSuite {
    public let address: SocketAddress
    /// The device's partial-frame timeout (the seed's 1 s unless the device was started otherwise).
    public let frameTimeout: Duration
    public static let name = "device"
    /// The report's suite column, e.g. "device (firmware)".
    public let label: String

    /// The device's line rate in bytes per second when it is paced (`--baud`), nil when unpaced: bytes sent
    /// to a paced device are still arriving after the write returns, so silences are counted from their end.
    public let lineBytesPerSecond: Double?

    public init(address: SocketAddress, frameTimeout: Duration = .seconds(1), label: String = DeviceSuite.name,
                lineBytesPerSecond: Double? = nil) {
        self.address = address
        self.frameTimeout = frameTimeout
        self.label = label
        self.lineBytesPerSecond = lineBytesPerSecond
    }

    /// Silence long enough for the device to drop a partial frame after `bytes` were written to it.
    func silence(after bytes: Int) -> Duration {
        let onTheLine = lineBytesPerSecond.map { Duration.milliseconds(Int64(Double(bytes) / $0 * 1000) + 1) } ?? .zero
        return onTheLine + frameTimeout + .milliseconds(300)
    }

    /// Echo requests of the sustained-traffic check.
    public static let sustainedPings = 300

    /// The one check a suite reports (failed) when the device cannot be reached at all.
    public static let connectCheckName = "device accepts a connection"

    public func run(into report: CheckReport) {
        var gatewayARPs = 0
        /// Frames the device sent on every connection so far: a device that has sent none has answered nothing,
        /// so no check that needs its answer (or its silence to mean something) may pass.
        var framesFromDevice = 0
        /// Set once the device has shown it will not answer: every later check fails with it instead of waiting.
        var notAnswering: String?
        var sequence: UInt16 = 0

        // No peer, no suite: one clear failing line instead of a table of connection errors (and no check whose
        // silence would pass for lack of a device).
        do {
            _ = try DevicePeer(connectingTo: address)
        } catch {
            report.run(label, "\(Self.connectCheckName) on \(address)") { throw error }
            return
        }

        /// A fresh peer per check, so one check's leftovers cannot satisfy the next.
        func withPeer(_ body: (DevicePeer) throws -> String) throws -> String {
            if let notAnswering { throw CheckFailure("not run: \(notAnswering)") }
            let peer = try DevicePeer(connectingTo: address)
            defer {
                gatewayARPs += peer.seen.filter(Self.isGatewayARPRequest).count
                framesFromDevice += peer.seen.count
            }
            let figure = try body(peer)
            _ = try peer.collectFrames(for: .milliseconds(50))
            return figure
        }
        func pingAnswered(_ peer: DevicePeer, _ what: String, payload: [UInt8] = PacketBuilder.defaultPingPayload) throws {
            sequence &+= 1
            let reply = try peer.ping(identifier: 0xC0DE, sequence: sequence, payload: payload)
            try require(reply != nil, "no echo reply within 5 s \(what)")
        }

        report.run(label, "ICMP echo request gets a well-formed reply") {
            try withPeer { peer in
                let started = ContinuousClock.now
                let reply = try peer.ping(identifier: 0xC0DE, sequence: 1)
                let rtt = ContinuousClock.now - started
                guard let reply, let ethernet = EthernetFrame(reply), let ip = IPv4Packet(ethernet.payload),
                      let echo = ICMPEcho(ip.payload) else { throw CheckFailure("no echo reply within 5 s") }
                try require(ethernet.destination == .host && ethernet.source == .device,
                            "MACs \(ethernet.source) > \(ethernet.destination), expected device > host")
                try require(ip.source == .device && ip.destination == .gateway, "IPs \(ip.source) > \(ip.destination)")
                try require(ip.headerChecksumValid && echo.checksumValid, "bad IP or ICMP checksum")
                try require(echo.payload.elementsEqual(PacketBuilder.defaultPingPayload), "echo data differs")
                return "rtt \(rtt.formatted(.units(allowed: [.milliseconds, .microseconds], width: .narrow)))"
            }
        }
        if framesFromDevice == 0 {
            notAnswering = "the device at \(address) sent no frame at all in answer to the first ping"
        }
        report.run(label, "ARP request for the device gets a 42-byte reply") {
            try withPeer { peer in
                try peer.send(frame: PacketBuilder.arpRequest(targetIP: .device))
                let reply = try peer.receiveFrame(within: .seconds(2)) { frame in
                    EthernetFrame(frame).flatMap { ARPPacket($0.payload) }?.operation == ARPPacket.reply
                }
                let expected = PacketBuilder.arpReply(senderMAC: .device, senderIP: .device, targetMAC: .host,
                                                      targetIP: .gateway)
                try require(reply == expected, "expected \(describe(frame: expected)), got \(reply.map { describe(frame: $0) } ?? "nothing")")
                return "\(reply?.count ?? 0) B"
            }
        }
        for length in [1514, 1518] {
            report.run(label, "\(length)-byte frame answered" + (length == 1518 ? " (4 trailer bytes)" : "")) {
                try withPeer { peer in
                    let payload = (0..<1472).map { UInt8(truncatingIfNeeded: $0) }
                    var request = PacketBuilder.icmpEchoRequest(identifier: 0xC0DF, sequence: UInt16(length),
                                                                payload: payload)
                    request += [UInt8](repeating: 0xEE, count: length - request.count)
                    try peer.send(frame: request)
                    let reply = try peer.receiveFrame(within: .seconds(2)) {
                        DevicePeer.isEchoReply($0, identifier: 0xC0DF, sequence: UInt16(length))
                    }
                    try require(reply?.count == 1514, "expected a 1514-byte echo reply, got \(reply?.count ?? 0)")
                    return "reply 1514 B"
                }
            }
        }
        report.run(label, "invalid lengths 0, 1-13, 1519, 0xFFFF skip only their 2 bytes") {
            try withPeer { peer in
                let lengths = [0] + Array(1...13) + [1519, 0xFFFF]
                for length in lengths {
                    try peer.send(raw: [UInt8(length >> 8), UInt8(length & 0xFF)])
                    try pingAnswered(peer, "after invalid length \(length)")
                }
                return "\(lengths.count)/\(lengths.count)"
            }
        }
        report.run(label, "lone length byte then silence is dropped") {
            try withPeer { peer in
                try peer.send(raw: [0x00])
                pause(silence(after: 1))
                try pingAnswered(peer, "after a lone length byte and \(silence(after: 1)) of silence")
                return "ok"
            }
        }
        report.run(label, "truncated frame dropped after the timeout") {
            try withPeer { peer in
                let record = try RecordEncoder.encode(PacketBuilder.icmpEchoRequest(identifier: 0xC0E0, sequence: 1))
                try peer.send(raw: Array(record.prefix(40)))
                pause(silence(after: 40))
                let stray = try peer.receiveFrame(within: .milliseconds(50)) {
                    DevicePeer.isEchoReply($0, identifier: 0xC0E0, sequence: 1)
                }
                try require(stray == nil, "the truncated request was answered")
                try pingAnswered(peer, "after a truncated frame")
                return "ok"
            }
        }
        report.run(label, "20 KB of junk, silence, then a valid frame") {
            try withPeer { peer in
                var generator = SplitMix64(seed: 0x5EED)
                try peer.send(raw: (0..<20_480).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
                pause(silence(after: 20_480))
                try pingAnswered(peer, "after 20 KB of junk")
                return "20480 B junk"
            }
        }
        report.run(label, "peer leaving mid-frame: the next peer starts clean") {
            do {
                let leaving = try DevicePeer(connectingTo: address)
                let record = try RecordEncoder.encode(PacketBuilder.icmpEchoRequest(identifier: 0xC0E1, sequence: 1))
                try leaving.send(raw: Array(record.prefix(50)))
                pause(.milliseconds(50))
            }
            return try withPeer { peer in
                try pingAnswered(peer, "from the next peer")
                return "ok"
            }
        }
        report.run(label, "unknown EtherType ignored") {
            try withPeer { peer in
                try peer.send(frame: PacketBuilder.ethernet(etherType: 0x88B5, payload: [UInt8](repeating: 0x55, count: 46)))
                try pingAnswered(peer, "after an unknown EtherType")
                return "ok"
            }
        }
        report.run(label, "IPv4 with a bad header checksum dropped") {
            try withPeer { peer in
                var request = PacketBuilder.icmpEchoRequest(identifier: 0xC0E2, sequence: 1)
                request[24] ^= 0xFF
                try peer.send(frame: request)
                let reply = try peer.receiveFrame(within: .milliseconds(300)) {
                    DevicePeer.isEchoReply($0, identifier: 0xC0E2, sequence: 1)
                }
                try require(reply == nil, "a packet with a bad IPv4 checksum was answered")
                try pingAnswered(peer, "after a bad checksum")
                return "ok"
            }
        }
        // Debian's liblwip 2.1.3 reads past the end of these two valid records (README "Known lwIP issues": ip4_input
        // reads the IPv4 length fields, etharp_input the target address, before any length check). The wire cannot
        // see an over-read, so the check is what a user can see of their lwIP build: the device must survive and
        // keep answering (a crash or a hang fails), and whether it answered the truncated frame itself is reported.
        for (name, frame) in [("16-byte IPv4 frame (Ethernet header + 2 bytes)",
                               Array(PacketBuilder.icmpEchoRequest(identifier: 0xC0E3, sequence: 1).prefix(16))),
                              ("36-byte ARP frame (22 of ARP's 28 bytes)",
                               Array(PacketBuilder.arpRequest(targetIP: .device).prefix(36)))] {
            report.run(label, "truncated \(name): device keeps answering") {
                try withPeer { peer in
                    try peer.send(frame: frame)
                    let answered = try peer.receiveFrame(within: .milliseconds(300)) { reply in
                        DevicePeer.isEchoReply(reply, identifier: 0xC0E3, sequence: 1)
                            || EthernetFrame(reply).flatMap { ARPPacket($0.payload) }?.operation == ARPPacket.reply
                    }
                    try pingAnswered(peer, "after a truncated \(name)")
                    return answered == nil ? "survived, truncated frame not answered"
                        : "survived, but the truncated frame was answered: its lwIP read past the frame's end"
                }
            }
        }
        // Enough frames for the host layer's heap-grows-per-frame rule (8 rising windows of 32 frames) to judge a
        // firmware's heap; DeviceLogFindings quotes what it named.
        report.run(label, "\(Self.sustainedPings) echo requests in a row answered") {
            try withPeer { peer in
                for _ in 0..<Self.sustainedPings {
                    try pingAnswered(peer, "in a run of \(Self.sustainedPings)", payload: [])
                }
                return "\(Self.sustainedPings)/\(Self.sustainedPings)"
            }
        }
        report.run(label, "no ARP request for the gateway on the wire (static entry)") {
            if let notAnswering { throw CheckFailure("not run: \(notAnswering)") }
            // Silence proves nothing unless the device spoke: it must have sent frames (its echo replies to the
            // gateway) for the absence of an ARP request among them to mean it used its static entry.
            try require(framesFromDevice > 0, "the device sent no frame at all, so its silence proves nothing")
            try require(gatewayARPs == 0, "\(gatewayARPs) ARP requests for \(IPv4Address.gateway) seen")
            return "0 of \(framesFromDevice) frames"
        }
    }

    /// The shared rule (`GatewayARP.isRequest`): an Ethernet/IPv4 ARP request for the gateway, gratuitous ARPs
    /// excluded.
    static func isGatewayARPRequest(_ frame: [UInt8]) -> Bool {
        GatewayARP.isRequest(frame)
    }
}
