import Foundation
import UartTunnelLink
import UartTunnelWire

/// The seed corpus: the device suite's kinds of case, as fuzz inputs. Valid frames of each size, every kind of
/// invalid length (with and without a body behind it), records split across idles and cut short, junk, IP
/// fragments that lwIP holds on to, and back-to-back records; each ends with a valid frame, so a driver that lost
/// its place shows it. Deterministic: the same seeds every time (junk from a fixed-seed generator).
public enum FuzzSeedCorpus {
    /// The dictionary: the framing's interesting lengths and the addresses and types inside its frames.
    public static let dictionary: [(name: String, bytes: [UInt8])] = [
        ("len_0", [0x00, 0x00]), ("len_min_14", [0x00, 0x0E]), ("len_13", [0x00, 0x0D]),
        ("len_mtu_1500", [0x05, 0xDC]), ("len_max_1518", [0x05, 0xEE]), ("len_1519", [0x05, 0xEF]),
        ("len_ffff", [0xFF, 0xFF]), ("len_1514", [0x05, 0xEA]), ("len_60", [0x00, 0x3C]),
        ("mac_device", MACAddress.device.bytes), ("mac_host", MACAddress.host.bytes),
        ("mac_broadcast", MACAddress.broadcast.bytes),
        ("type_ipv4", [0x08, 0x00]), ("type_arp", [0x08, 0x06]), ("type_ipv6", [0x86, 0xDD]),
        ("type_vlan", [0x81, 0x00]), ("ip_device", IPv4Address.device.bytes), ("ip_gateway", IPv4Address.gateway.bytes),
        ("ipv4_mf", [0x20, 0x00]), ("ipv4_ver_ihl", [0x45, 0x00]),
    ]

    /// libFuzzer's `-dict=` file for ``dictionary``.
    public static var dictionaryText: String {
        "# uart-tunnel fuzz: the tunnel framing's interesting values (FuzzSeedCorpus.dictionary)\n"
            + dictionary.map { name, bytes in
                "\(name)=\"" + bytes.map { "\\x" + String($0, radix: 16, uppercase: true).leftPadded(2) }.joined() + "\""
            }.joined(separator: "\n") + "\n"
    }

    /// Named seeds, in a stable order.
    public static var seeds: [(name: String, input: FuzzInput)] {
        let ping = PacketBuilder.icmpEchoRequest()
        let arp = PacketBuilder.arpRequest()
        let tail = FuzzInput.Step(record(arp))
        var seeds: [(String, FuzzInput)] = []
        // Valid frames of each size: the shortest, ARP, ping, Ethernet's minimum, the MTU, the longest.
        for size in [14, 42, 60, 98, 1514, 1518] {
            seeds.append(("valid-\(size)", FuzzInput([.init(record(frame(size: size)))])))
        }
        seeds.append(("valid-arp-ping", FuzzInput([.init(record(arp) + record(ping))])))
        // Every kind of invalid length: below the minimum, above the maximum, the extremes; then a valid record.
        for length in [0, 1, 13, 1519, 1520, 0x0800, 0xFFFF] {
            seeds.append(("bad-length-\(length)", FuzzInput([.init([UInt8(length >> 8), UInt8(length & 0xFF)]), tail])))
        }
        // An invalid length with as many bytes behind it as it announces (a driver that trusts it reads them all).
        for length in [1519, 1520, 1600] {
            seeds.append(("bad-length-\(length)-with-body",
                          FuzzInput([.init([UInt8(length >> 8), UInt8(length & 0xFF)] + filler(length)), tail])))
        }
        // Split records: inside the length, inside the header, inside the body, with short idles in between.
        let pingRecord = record(ping)
        for cut in [1, 2, 9, 50] {
            seeds.append(("split-\(cut)", FuzzInput([.init(Array(pingRecord[..<cut]), idleCode: 50),
                                                     .init(Array(pingRecord[cut...]))])))
        }
        // Cut records: part of one, then the line idles past the 1 s rule, then a whole one.
        for cut in [1, 2, 30] {
            seeds.append(("cut-\(cut)", FuzzInput([.init(Array(pingRecord[..<cut]), idleCode: FuzzInput.idleCode(milliseconds: 1500)),
                                                   .init(pingRecord)])))
        }
        // Junk: bytes from a fixed-seed generator, then an idle past the 1 s rule, then a valid record.
        var generator = SeededGenerator(seed: 0x5EED)
        for size in [1, 7, 64, 600] {
            let junk = (0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            seeds.append(("junk-\(size)", FuzzInput([.init(junk, idleCode: FuzzInput.idleCode(milliseconds: 1500)), tail])))
        }
        // An IP fragment lwIP keeps for reassembly, then the shortest frame (a driver reusing a lent buffer
        // overwrites the fragment) and a whole ping; and two fragments that complete a ping.
        let fragments = fragmentedPing()
        seeds.append(("fragment-held", FuzzInput([.init(record(fragments.first) + record(frame(size: 14))), tail])))
        seeds.append(("fragments-complete", FuzzInput([.init(record(fragments.first) + record(fragments.last))])))
        // Back to back: the longest records with no gap, then many short ones.
        seeds.append(("back-to-back-long", FuzzInput([.init(record(frame(size: 1518)) + record(frame(size: 1518)))])))
        seeds.append(("back-to-back-short", FuzzInput([.init((0..<20).flatMap { _ in record(frame(size: 14)) })])))
        return seeds
    }

    /// DIR/corpus/<seed> for each seed and DIR/uart_rx_fuzzer.dict: the layout fuzz/build.sh ships to OSS-Fuzz and
    /// ClusterFuzzLite (the repository's fuzz/ is written by this; a test keeps them equal).
    public static func write(to directory: String) throws(FuzzError) {
        do {
            try FileManager.default.createDirectory(atPath: directory + "/corpus", withIntermediateDirectories: true)
            for (name, input) in seeds {
                try Data(input.bytes).write(to: URL(fileURLWithPath: directory + "/corpus/" + name))
            }
            try Data(dictionaryText.utf8).write(to: URL(fileURLWithPath: directory + "/uart_rx_fuzzer.dict"))
        } catch {
            throw .io("cannot write the seed corpus to \(directory): \(error)")
        }
    }

    static func record(_ frame: [UInt8]) -> [UInt8] {
        (try? RecordEncoder.encode(frame)) ?? []
    }

    /// A frame from the host to the device of exactly `size` bytes (≥ 14): an IPv4/UDP datagram when there is
    /// room for one, else an Ethernet header with a made-up type.
    static func frame(size: Int) -> [UInt8] {
        if size >= 42 {
            let udp = PacketBuilder.udp(srcPort: 40000, dstPort: 9, payload: filler(size - 42))
            if udp.count == size { return udp }
        }
        return PacketBuilder.ethernet(etherType: 0x88B5, payload: filler(size - 14))
    }

    static func filler(_ count: Int) -> [UInt8] {
        (0..<max(0, count)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
    }

    /// A ping of 96 bytes of ICMP split into two IPv4 fragments (offsets 0 and 48 bytes; the first has MF set).
    static func fragmentedPing() -> (first: [UInt8], last: [UInt8]) {
        let whole = PacketBuilder.icmpEchoRequest(payload: filler(88), ipID: 0x4242)
        let ip = Array(whole[14...])
        let header = Array(ip[..<20])
        let data = Array(ip[20...])
        func fragment(_ part: ArraySlice<UInt8>, offsetUnits: UInt16, more: Bool) -> [UInt8] {
            var h = header
            let total = UInt16(20 + part.count)
            h[2] = UInt8(total >> 8)
            h[3] = UInt8(total & 0xFF)
            let flags = (more ? 0x2000 : 0) | offsetUnits
            h[6] = UInt8(flags >> 8)
            h[7] = UInt8(flags & 0xFF)
            h[10] = 0
            h[11] = 0
            let checksum = InternetChecksum.compute(h)
            h[10] = UInt8(checksum >> 8)
            h[11] = UInt8(checksum & 0xFF)
            return PacketBuilder.ethernet(etherType: 0x0800, payload: h + part)
        }
        return (fragment(data[..<48], offsetUnits: 0, more: true), fragment(data[48...], offsetUnits: 6, more: false))
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
