/// pcapng building blocks (the IETF draft "PCAP Next Generation Dump File Format", little-endian as written here):
/// every block is `type · total length · body (padded to 4) · total length`, options are `code · length · value
/// (padded)` ending with code 0. One home for the encoding, shared by the capture writers and the tap.
enum Pcapng {
    static let sectionHeaderType: UInt32 = 0x0A0D_0D0A
    static let interfaceDescriptionType: UInt32 = 1
    static let interfaceStatisticsType: UInt32 = 5
    static let enhancedPacketType: UInt32 = 6
    static let simplePacketType: UInt32 = 3
    static let byteOrderMagic: UInt32 = 0x1A2B_3C4D

    /// LINKTYPE_ETHERNET.
    static let linkTypeEthernet: UInt16 = 1
    /// LINKTYPE_USER0 (147): reserved by tcpdump.org for private use; Wireshark shows it as data once the
    /// `user_dlts` table maps it (see the README), and as undissected bytes otherwise.
    static let linkTypeUser0: UInt16 = 147

    /// epb_flags bits 0-1: 1 = inbound, 2 = outbound, 0 = not known.
    static func directionFlag(_ direction: LinkDirection?) -> UInt32 {
        switch direction {
        case .rx?: 1
        case .tx?: 2
        case nil: 0
        }
    }

    static let endOfOptions: [UInt8] = [0, 0, 0, 0]

    static func block(_ type: UInt32, _ body: [UInt8]) -> [UInt8] {
        var padded = body
        pad(&padded)
        var out: [UInt8] = []
        let total = UInt32(12 + padded.count)
        out.appendLittleEndian(type)
        out.appendLittleEndian(total)
        out += padded
        out.appendLittleEndian(total)
        return out
    }

    static func option(_ code: UInt16, _ value: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.appendLittleEndian(code)
        out.appendLittleEndian(UInt16(min(value.count, Int(UInt16.max))))
        out += value.prefix(Int(UInt16.max))
        pad(&out)
        return out
    }

    static func pad(_ bytes: inout [UInt8]) {
        while bytes.count % 4 != 0 { bytes.append(0) }
    }

    static func sectionHeader() -> [UInt8] {
        var body: [UInt8] = []
        body.appendLittleEndian(byteOrderMagic)
        body.appendLittleEndian(UInt16(1))
        body.appendLittleEndian(UInt16(0))
        body.appendLittleEndian(UInt64.max)  // section length unknown
        body += option(4, Array("uart-tunnel".utf8))  // shb_userappl
        body += endOfOptions
        return block(sectionHeaderType, body)
    }

    /// An IDB with ns timestamps (if_tsresol 9).
    static func interfaceDescription(linkType: UInt16, name: String, description: String, speed: UInt64? = nil,
                                     comment: String? = nil) -> [UInt8] {
        var body: [UInt8] = []
        body.appendLittleEndian(linkType)
        body.appendLittleEndian(UInt16(0))
        body.appendLittleEndian(UInt32(0))  // no snaplen limit
        if let comment { body += option(1, Array(comment.utf8)) }  // opt_comment
        body += option(2, Array(name.utf8))  // if_name
        body += option(3, Array(description.utf8))  // if_description
        if let speed {
            var value: [UInt8] = []
            value.appendLittleEndian(speed)
            body += option(8, value)  // if_speed, bits per second
        }
        body += option(9, [9])  // if_tsresol: 10^-9 s
        body += endOfOptions
        return block(interfaceDescriptionType, body)
    }

    /// An EPB: `bytes` captured of `originalLength`, direction in epb_flags, an optional comment.
    static func enhancedPacket(interface: UInt32, timestamp: Int64, bytes: [UInt8], originalLength: Int,
                               direction: LinkDirection?, comment: String?) -> [UInt8] {
        var body: [UInt8] = []
        body.appendLittleEndian(interface)
        let ts = UInt64(bitPattern: timestamp)
        body.appendLittleEndian(UInt32(truncatingIfNeeded: ts >> 32))
        body.appendLittleEndian(UInt32(truncatingIfNeeded: ts))
        body.appendLittleEndian(UInt32(bytes.count))
        body.appendLittleEndian(UInt32(max(originalLength, bytes.count)))
        body += bytes
        pad(&body)
        var flags: [UInt8] = []
        flags.appendLittleEndian(directionFlag(direction))
        body += option(2, flags)  // epb_flags
        if let comment { body += option(1, Array(comment.utf8)) }
        body += endOfOptions
        return block(enhancedPacketType, body)
    }

    /// An ISB for `interface` carrying received/dropped counts and `comments`.
    static func interfaceStatistics(interface: UInt32, timestamp: Int64, received: Int, dropped: Int,
                                    comments: [String]) -> [UInt8] {
        var body: [UInt8] = []
        body.appendLittleEndian(interface)
        let ts = UInt64(bitPattern: timestamp)
        body.appendLittleEndian(UInt32(truncatingIfNeeded: ts >> 32))
        body.appendLittleEndian(UInt32(truncatingIfNeeded: ts))
        var value: [UInt8] = []
        value.appendLittleEndian(UInt64(received))
        body += option(4, value)  // isb_ifrecv
        value = []
        value.appendLittleEndian(UInt64(dropped))
        body += option(5, value)  // isb_ifdrop
        for line in comments { body += option(1, Array(line.utf8)) }
        body += endOfOptions
        return block(interfaceStatisticsType, body)
    }
}
