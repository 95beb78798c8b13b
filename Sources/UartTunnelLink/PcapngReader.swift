/// Reads a pcapng file (either byte order) into its interfaces and packets: enough for `decode` to find the UART
/// byte interface of a `--raw` capture. Every length is checked against the data before use, so damaged input is a
/// ``RawCaptureFormat/FormatError`` naming the file offset, never a trap; a file cut inside a block ends at the last
/// whole block (`truncatedTail`), as a killed device leaves it.
public struct PcapngReader {
    public struct Interface: Sendable, Equatable {
        public var linkType: UInt16
        public var name: String?
        public var description: String?
        public var comments: [String] = []
        /// if_speed, bits per second.
        public var speed: UInt64?
        /// Timestamp units per second (if_tsresol; 10^6 when absent).
        var unitsPerSecond: UInt64 = 1_000_000
        var binaryResolution = false
    }

    public struct Packet: Sendable, Equatable {
        /// Index into ``interfaces``.
        public var interface: Int
        /// ns since the Unix epoch.
        public var timestamp: Int64
        public var bytes: [UInt8]
        public var originalLength: Int
        /// epb_flags bits 0-1 (1 = inbound, 2 = outbound, 0 = not known).
        public var direction: UInt32
        public var comments: [String]
        /// File offset of the block, for messages.
        public var offset: Int
    }

    public private(set) var interfaces: [Interface] = []
    public private(set) var packets: [Packet] = []
    public private(set) var truncatedTail = false
    /// The latest time any packet or statistics block carries: when the capture ended, at the latest.
    public private(set) var lastTimestamp: Int64?

    public static func isPcapng(_ data: [UInt8]) -> Bool {
        data.count >= 4 && Array(data[0..<4]) == [0x0A, 0x0D, 0x0D, 0x0A]
    }

    public init(_ data: [UInt8]) throws(RawCaptureFormat.FormatError) {
        guard Self.isPcapng(data) else { throw RawCaptureFormat.FormatError(description: "not a pcapng file") }
        var offset = 0
        var bigEndian = false
        while offset < data.count {
            guard offset + 12 <= data.count else { truncatedTail = true; return }
            // The byte order of a section is only known from its SHB's magic, 8 bytes in.
            if Array(data[offset..<(offset + 4)]) == [0x0A, 0x0D, 0x0D, 0x0A] {
                let magic = Self.u32(data, offset + 8, bigEndian: false)
                if magic == Pcapng.byteOrderMagic { bigEndian = false }
                else if magic == Pcapng.byteOrderMagic.byteSwapped { bigEndian = true }
                else { throw Self.error(offset, "section header with an unknown byte-order magic") }
                interfaces = []  // a new section starts its own interface list
            }
            let type = Self.u32(data, offset, bigEndian: bigEndian)
            let total = Int(Self.u32(data, offset + 4, bigEndian: bigEndian))
            guard total >= 12, total % 4 == 0 else { throw Self.error(offset, "block length \(total) is invalid") }
            guard total <= data.count - offset else { truncatedTail = true; return }
            let body = Array(data[(offset + 8)..<(offset + total - 4)])
            guard Int(Self.u32(data, offset + total - 4, bigEndian: bigEndian)) == total else {
                throw Self.error(offset, "block length \(total) does not match its trailing copy")
            }
            switch type {
            case Pcapng.interfaceDescriptionType:
                try readInterface(body, at: offset, bigEndian: bigEndian)
            case Pcapng.enhancedPacketType:
                try readPacket(body, at: offset, bigEndian: bigEndian)
            case Pcapng.interfaceStatisticsType where body.count >= 12:
                let index = Int(Self.u32(body, 0, bigEndian: bigEndian))
                let units = UInt64(Self.u32(body, 4, bigEndian: bigEndian)) << 32 | UInt64(Self.u32(body, 8, bigEndian: bigEndian))
                if index < interfaces.count, let time = Self.nanoseconds(units, interfaces[index]) {
                    lastTimestamp = max(lastTimestamp ?? time, time)
                }
            default:
                break  // SHB (handled above), statistics, name resolution, custom blocks: nothing decode needs
            }
            offset += total
        }
    }

    private mutating func readInterface(_ body: [UInt8], at offset: Int, bigEndian: Bool) throws(RawCaptureFormat.FormatError) {
        guard body.count >= 8 else { throw Self.error(offset, "interface description too short") }
        var interface = Interface(linkType: Self.u16(body, 0, bigEndian: bigEndian))
        for (code, value) in try Self.options(body, from: 8, at: offset, bigEndian: bigEndian) {
            switch code {
            case 1: interface.comments.append(String(decoding: value, as: UTF8.self))
            case 2: interface.name = String(decoding: value, as: UTF8.self)
            case 3: interface.description = String(decoding: value, as: UTF8.self)
            case 8 where value.count == 8: interface.speed = Self.u64(value, 0, bigEndian: bigEndian)
            case 9 where value.count == 1:
                let exponent = UInt64(value[0] & 0x7F)
                interface.binaryResolution = value[0] & 0x80 != 0
                let (units, overflow) = interface.binaryResolution
                    ? (exponent < 64 ? (UInt64(1) << exponent, false) : (0, true))
                    : Self.power10(exponent)
                guard !overflow else { throw Self.error(offset, "if_tsresol \(value[0]) is out of range") }
                interface.unitsPerSecond = units
            default: break
            }
        }
        interfaces.append(interface)
    }

    private mutating func readPacket(_ body: [UInt8], at offset: Int, bigEndian: Bool) throws(RawCaptureFormat.FormatError) {
        guard body.count >= 20 else { throw Self.error(offset, "enhanced packet block too short") }
        let index = Int(Self.u32(body, 0, bigEndian: bigEndian))
        guard index < interfaces.count else {
            throw Self.error(offset, "packet on interface \(index), but only \(interfaces.count) described before it")
        }
        let units = UInt64(Self.u32(body, 4, bigEndian: bigEndian)) << 32 | UInt64(Self.u32(body, 8, bigEndian: bigEndian))
        let captured = Int(Self.u32(body, 12, bigEndian: bigEndian))
        let original = Int(Self.u32(body, 16, bigEndian: bigEndian))
        guard captured <= body.count - 20 else {
            throw Self.error(offset, "packet claims \(captured) captured bytes, its block holds \(body.count - 20)")
        }
        guard let timestamp = Self.nanoseconds(units, interfaces[index]) else {
            throw Self.error(offset, "timestamp \(units) does not fit in 64-bit nanoseconds: the capture is damaged")
        }
        var packet = Packet(interface: index, timestamp: timestamp, bytes: Array(body[20..<(20 + captured)]),
                            originalLength: original, direction: 0, comments: [], offset: offset)
        let optionsStart = 20 + (captured + 3) / 4 * 4
        for (code, value) in try Self.options(body, from: optionsStart, at: offset, bigEndian: bigEndian) {
            if code == 1 { packet.comments.append(String(decoding: value, as: UTF8.self)) }
            if code == 2, value.count == 4 { packet.direction = Self.u32(value, 0, bigEndian: bigEndian) & 3 }
        }
        packets.append(packet)
        lastTimestamp = max(lastTimestamp ?? timestamp, timestamp)
    }

    /// Timestamp units → ns since the epoch, nil past Int64.
    static func nanoseconds(_ units: UInt64, _ interface: Interface) -> Int64? {
        let perSecond = interface.unitsPerSecond
        guard perSecond > 0 else { return nil }
        let product = units.multipliedFullWidth(by: 1_000_000_000)
        guard product.high < perSecond else { return nil }
        let (quotient, _) = perSecond.dividingFullWidth(product)
        return quotient <= UInt64(Int64.max) ? Int64(quotient) : nil
    }

    static func power10(_ exponent: UInt64) -> (UInt64, Bool) {
        var value: UInt64 = 1
        for _ in 0..<min(exponent, 20) {
            let (next, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { return (0, true) }
            value = next
        }
        return (value, false)
    }

    /// The options of a block body from `start`; stops at opt_endofopt or the end of the body.
    static func options(_ body: [UInt8], from start: Int, at offset: Int, bigEndian: Bool)
        throws(RawCaptureFormat.FormatError) -> [(UInt16, [UInt8])] {
        var result: [(UInt16, [UInt8])] = []
        var position = start
        while position + 4 <= body.count {
            let code = u16(body, position, bigEndian: bigEndian)
            let length = Int(u16(body, position + 2, bigEndian: bigEndian))
            if code == 0 { break }
            guard length <= body.count - position - 4 else {
                throw error(offset, "option \(code) claims \(length) bytes past the end of its block")
            }
            result.append((code, Array(body[(position + 4)..<(position + 4 + length)])))
            position += 4 + (length + 3) / 4 * 4
        }
        return result
    }

    static func error(_ offset: Int, _ text: String) -> RawCaptureFormat.FormatError {
        RawCaptureFormat.FormatError(description: "pcapng block at file offset \(offset): \(text)")
    }

    static func u16(_ data: [UInt8], _ at: Int, bigEndian: Bool) -> UInt16 {
        let value = UInt16(data[at]) | UInt16(data[at + 1]) << 8
        return bigEndian ? value.byteSwapped : value
    }

    static func u32(_ data: [UInt8], _ at: Int, bigEndian: Bool) -> UInt32 {
        let value = data.u32le(at: at)
        return bigEndian ? value.byteSwapped : value
    }

    static func u64(_ data: [UInt8], _ at: Int, bigEndian: Bool) -> UInt64 {
        let value = data.u64le(at: at)
        return bigEndian ? value.byteSwapped : value
    }
}
