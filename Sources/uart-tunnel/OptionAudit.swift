import ArgumentParser
import CLwIPShims
import Foundation
import UartTunnelChecks
import UartTunnelDevice
import UartTunnelLog
import UartTunnelLwIP
import UartTunnelSystem
import UartTunnelWire

/// The audit's data: option rows, memp pools and the SYN-ACK probe.
enum OptionAudit {
    struct Row: Encodable {
        let option: String
        let toolkit: String
        let asBuilt: String?
        let firmware: String
        let firmwareSource: String
        let differs: Bool
        let effect: String
    }

    struct Pool: Encodable {
        let pool: String
        let library: Int
        let headers: Int
    }

    struct SynAck: Encodable {
        var mss: Int?
        var window: Int?
        var windowScale: Int?
        var note: String?

        init(mss: Int? = nil, window: Int? = nil, windowScale: Int? = nil, note: String? = nil) {
            self.mss = mss
            self.window = window
            self.windowScale = windowScale
            self.note = note
        }

        var summary: String {
            if let note { return note }
            return "MSS \(mss.map(String.init) ?? "absent"), window \(window.map(String.init) ?? "?"), "
                + "window scale \(windowScale.map(String.init) ?? "absent")"
        }
    }

    static let libraryVersion = "2.1.3"

    /// `CONFIG_X=value` lines; `# CONFIG_X is not set` as "n".
    static func parseSdkconfig(_ text: String) -> [String: String] {
        var settings: [String: String] = [:]
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("# CONFIG_"), line.hasSuffix(" is not set") {
                let name = line.dropFirst(2).dropLast(" is not set".count)
                settings[String(name)] = "n"
            } else if line.hasPrefix("CONFIG_"), let equals = line.firstIndex(of: "=") {
                var value = String(line[line.index(after: equals)...])
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                settings[String(line[..<equals])] = value
            }
        }
        return settings
    }

    static func header(_ name: String) -> Int? {
        var value = 0
        return CLwIPShims_optionValue(name, &value) == 1 ? value : nil
    }

    /// One firmware option: how ESP-IDF sets the lwIP macro.
    struct Firmware {
        /// The Kconfig symbol (nil: ESP-IDF's lwipopts.h sets it to a constant, or leaves lwIP's default).
        let kconfig: String?
        /// The value without a setting (bools as 1/0).
        let defaultValue: Int
        /// Where the default comes from, and whether it was checked.
        let defaultSource: String
        /// For bools: the macro is 1 when the symbol is y.
        var isBool = false
    }

    static let kconfigChecked = "ESP-IDF Kconfig default"
    static let kconfigUnchecked = "ESP-IDF default (not verified)"
    static let lwipoptsConstant = "ESP-IDF lwipopts.h"
    static let lwipDefault = "lwIP opt.h default (ESP-IDF sets none)"

    static func rows(sdkconfig settings: [String: String], synAck: SynAck) -> [Row] {
        func firmwareValue(_ firmware: Firmware) -> (Int, String) {
            guard let symbol = firmware.kconfig, let text = settings[symbol] else {
                return (firmware.defaultValue, firmware.defaultSource)
            }
            if firmware.isBool { return (text == "y" ? 1 : 0, "sdkconfig") }
            return (Int(text) ?? firmware.defaultValue, "sdkconfig")
        }
        let idfMSS = firmwareValue(Firmware(kconfig: "CONFIG_LWIP_TCP_MSS", defaultValue: 1440, defaultSource: kconfigChecked)).0
        let pool = LwIPStack.poolCheck
        var rows: [Row] = []
        func add(_ option: String, _ firmware: Firmware, asBuilt: String? = nil, toolkitOverride: Int? = nil,
                 effect: (_ toolkit: Int, _ firmware: Int) -> String) {
            let toolkit = toolkitOverride ?? header(option) ?? -1
            let (value, source) = firmwareValue(firmware)
            let differs = toolkit != value
            rows.append(Row(option: option, toolkit: toolkit < 0 ? "?" : "\(toolkit)", asBuilt: asBuilt,
                            firmware: "\(value)" + (firmware.kconfig.map { " (\($0))" } ?? ""),
                            firmwareSource: source, differs: differs, effect: differs ? effect(toolkit, value) : ""))
        }
        let mssObserved = synAck.mss.map { "SYN-ACK MSS \($0)" }
        add("TCP_MSS", Firmware(kconfig: "CONFIG_LWIP_TCP_MSS", defaultValue: 1440, defaultSource: kconfigChecked),
            asBuilt: mssObserved) { t, f in
            "MSS \(t) vs \(f): TCP goodput and segment count differ (a full segment is MSS+56 bytes on the UART: "
                + String(format: "%.0f vs %.0f B/s at 115200 8N1", 11520.0 * Double(t) / Double(t + 56), 11520.0 * Double(f) / Double(f + 56))
                + "); byte-exact TCP parity impossible"
        }
        add("TCP_WND", Firmware(kconfig: "CONFIG_LWIP_TCP_WND_DEFAULT", defaultValue: 5760,
                                defaultSource: kconfigChecked + " (v5.4 components/lwip/Kconfig: 4 × 1440)"),
            asBuilt: synAck.window.map { "SYN-ACK window \($0)" }) { t, f in
            "receive window \(t) vs \(f) B: how much a host may send before the device ACKs — upload throughput, "
                + "segments in flight and (paced) queueing delay differ"
        }
        add("TCP_SND_BUF", Firmware(kconfig: "CONFIG_LWIP_TCP_SND_BUF_DEFAULT", defaultValue: 5760,
                                    defaultSource: kconfigChecked + " (v5.4 components/lwip/Kconfig: 4 × 1440)")) { t, f in
            "send buffer \(t) vs \(f) B bounds unacknowledged data: download goodput when the path has delay, and when "
                + "lwip_send blocks, differ (\(f) B is \(f / max(idfMSS, 1)) full segments)"
        }
        add("LWIP_WND_SCALE", Firmware(kconfig: "CONFIG_LWIP_WND_SCALE", defaultValue: 0, defaultSource: kconfigChecked, isBool: true),
            asBuilt: synAck.windowScale.map { "SYN-ACK wscale \($0)" } ?? (synAck.note == nil ? "SYN-ACK: no wscale" : nil)) { _, _ in
            "window scaling: the SYN/SYN-ACK options differ (wscale present or not), so handshakes are not byte-identical"
        }
        add("TCP_RCV_SCALE", Firmware(kconfig: "CONFIG_LWIP_TCP_RCV_SCALE", defaultValue: 0, defaultSource: kconfigChecked)) { t, f in
            "receive window shift \(t) vs \(f): the window field's meaning differs"
        }
        add("ETHARP_SUPPORT_STATIC_ENTRIES", Firmware(kconfig: "CONFIG_LWIP_DHCPS_STATIC_ENTRIES", defaultValue: 1,
                                                      defaultSource: kconfigUnchecked, isBool: true)) { t, f in
            t == 0
                ? "etharp_add_static_entry() exists on the firmware but not in this library: the toolkit provides the static "
                    + "gateway entry itself (no ARP request for the gateway on the wire either way)"
                : "static ARP entries differ"
        }
        add("MEMP_NUM_TCP_PCB", Firmware(kconfig: "CONFIG_LWIP_MAX_ACTIVE_TCP", defaultValue: 16, defaultSource: kconfigChecked)) { t, f in
            "active TCP connections: the firmware refuses the \(f + 1)th; here MEMP_MEM_MALLOC=1 enforces no limit (\(t) is "
                + "nominal): connection-exhaustion results differ"
        }
        add("MEMP_NUM_TCP_PCB_LISTEN", Firmware(kconfig: "CONFIG_LWIP_MAX_LISTENING_TCP", defaultValue: 16, defaultSource: kconfigChecked)) { t, f in
            "listening sockets: limit \(f) on the firmware, not enforced here"
        }
        add("MEMP_NUM_UDP_PCB", Firmware(kconfig: "CONFIG_LWIP_MAX_UDP_PCBS", defaultValue: 16, defaultSource: kconfigChecked)) { t, f in
            "UDP sockets: limit \(f) on the firmware, not enforced here"
        }
        add("MEMP_NUM_NETCONN", Firmware(kconfig: "CONFIG_LWIP_MAX_SOCKETS", defaultValue: 10, defaultSource: kconfigChecked)) { t, f in
            "sockets: the firmware's socket() fails past \(f) open sockets; not enforced here"
        }
        add("LWIP_IPV6", Firmware(kconfig: "CONFIG_LWIP_IPV6", defaultValue: 1, defaultSource: kconfigUnchecked, isBool: true)) { t, f in
            "IPv6 \(t == 1 ? "on" : "off") here, \(f == 1 ? "on" : "off") on the firmware: MLD/ND frames on the UART (line time) differ"
        }
        add("LWIP_TCPIP_CORE_LOCKING", Firmware(kconfig: "CONFIG_LWIP_TCPIP_CORE_LOCKING", defaultValue: 0,
                                                defaultSource: kconfigUnchecked, isBool: true)) { t, f in
            f == 0
                ? "the firmware runs without core locking: LOCK_TCPIP_CORE() is empty there, so driver code that is safe here "
                    + "can race on the ESP32; set CONFIG_LWIP_TCPIP_CORE_LOCKING=y"
                : "core locking differs"
        }
        add("LWIP_TCPIP_CORE_LOCKING_INPUT", Firmware(kconfig: "CONFIG_LWIP_TCPIP_CORE_LOCKING_INPUT", defaultValue: 0,
                                                      defaultSource: kconfigUnchecked, isBool: true)) { _, _ in
            "tcpip_input() processes frames in the caller's thread vs queueing them to tcpip_thread: RX timing differs"
        }
        add("PBUF_POOL_SIZE", Firmware(kconfig: nil, defaultValue: 16, defaultSource: lwipDefault)) { t, f in
            "pool pbufs \(t) vs \(f)"
        }
        let idfPoolBuf = (idfMSS + 40 + 20 + 14 + 3) & ~3
        add("PBUF_POOL_BUFSIZE", Firmware(kconfig: nil, defaultValue: idfPoolBuf, defaultSource: lwipDefault + ", from MSS"),
            asBuilt: "\(pool.libraryElementSize - (pool.headerElementSize - pool.headerBufferSize)) (element \(pool.libraryElementSize) B)") { t, f in
            "pool buffer \(t) vs \(f) B; the library was built with smaller elements than its headers say, so the toolkit "
                + "allocates received frames as PBUF_RAM: memory-pressure behaviour differs"
        }
        add("ARP_TABLE_SIZE", Firmware(kconfig: nil, defaultValue: 10, defaultSource: lwipDefault)) { t, f in
            "ARP table \(t) vs \(f) entries"
        }
        add("ARP_MAXAGE", Firmware(kconfig: nil, defaultValue: 300, defaultSource: lwipDefault)) { t, f in
            "ARP entries age out after \(t) vs \(f) s: re-request timing differs"
        }
        add("MEMP_MEM_MALLOC", Firmware(kconfig: nil, defaultValue: 1, defaultSource: lwipoptsConstant)) { _, _ in
            "pool limits enforced on one side only"
        }
        add("MEM_LIBC_MALLOC", Firmware(kconfig: nil, defaultValue: 1, defaultSource: lwipoptsConstant)) { _, _ in
            "heap allocator differs"
        }
        add("MEM_ALIGNMENT", Firmware(kconfig: nil, defaultValue: 4, defaultSource: lwipoptsConstant)) { t, f in
            "alignment \(t) vs \(f): struct layouts and pbuf sizes differ (C code must not depend on them); nothing on the wire"
        }
        add("TCP_MAXRTX", Firmware(kconfig: "CONFIG_LWIP_TCP_MAXRTX", defaultValue: 12, defaultSource: kconfigChecked)) { t, f in
            "data retransmissions before giving up \(t) vs \(f): how long a connection survives loss differs"
        }
        add("TCP_SYNMAXRTX", Firmware(kconfig: "CONFIG_LWIP_TCP_SYNMAXRTX", defaultValue: 12,
                                      defaultSource: kconfigChecked + " (with high-speed retransmission)")) { t, f in
            "SYN retransmissions \(t) vs \(f): connect() to an absent peer fails after different times"
        }
        add("TCP_TMR_INTERVAL", Firmware(kconfig: "CONFIG_LWIP_TCP_TMR_INTERVAL", defaultValue: 250, defaultSource: kconfigChecked)) { t, f in
            "TCP timer \(t) vs \(f) ms: retransmission timing granularity differs"
        }
        add("TCPIP_MBOX_SIZE", Firmware(kconfig: "CONFIG_LWIP_TCPIP_RECVMBOX_SIZE", defaultValue: 32, defaultSource: kconfigChecked)) { t, f in
            "tcpip_thread mailbox \(t == 0 ? "unbounded here" : "\(t)") vs \(f): the firmware drops input frames in a burst that "
                + "fills it; here they queue"
        }
        add("DEFAULT_TCP_RECVMBOX_SIZE", Firmware(kconfig: "CONFIG_LWIP_TCP_RECVMBOX_SIZE", defaultValue: 6, defaultSource: kconfigChecked)) { t, f in
            "per-socket receive mailbox \(t == 0 ? "unbounded here" : "\(t)") vs \(f): how many segments wait for a slow reader differs"
        }
        add("IP_REASSEMBLY", Firmware(kconfig: "CONFIG_LWIP_IP4_REASSEMBLY", defaultValue: 0, defaultSource: kconfigChecked, isBool: true)) { t, f in
            t == 1 ? "fragmented IPv4 (e.g. ping -s 2000) is answered here but dropped by the firmware" : "IPv4 reassembly differs"
        }
        add("IP_FRAG", Firmware(kconfig: "CONFIG_LWIP_IP4_FRAG", defaultValue: 1, defaultSource: kconfigChecked, isBool: true)) { _, _ in
            "outgoing IPv4 fragmentation differs"
        }
        add("IP_FORWARD", Firmware(kconfig: "CONFIG_LWIP_IP_FORWARD", defaultValue: 0, defaultSource: kconfigChecked, isBool: true)) { _, _ in
            "IP forwarding differs (no effect with one netif)"
        }
        add("LWIP_TCP_SACK_OUT", Firmware(kconfig: "CONFIG_LWIP_TCP_SACK_OUT", defaultValue: 0, defaultSource: kconfigChecked, isBool: true)) { _, _ in
            "SACK options in ACKs differ: loss recovery and handshakes differ"
        }
        add("LWIP_SO_RCVBUF", Firmware(kconfig: "CONFIG_LWIP_SO_RCVBUF", defaultValue: 0, defaultSource: kconfigChecked, isBool: true)) { _, _ in
            "SO_RCVBUF available on one side only (API difference)"
        }
        add("LWIP_SO_LINGER", Firmware(kconfig: "CONFIG_LWIP_SO_LINGER", defaultValue: 0, defaultSource: kconfigChecked, isBool: true)) { _, _ in
            "SO_LINGER available on one side only: close() behaviour with unsent data can differ"
        }
        add("LWIP_NETIF_TX_SINGLE_PBUF", Firmware(kconfig: nil, defaultValue: 1, defaultSource: lwipoptsConstant)) { _, _ in
            "linkoutput gets pbuf chains on one side: a driver that assumes one pbuf breaks there"
        }
        rows.append(Row(option: "initial RTO", toolkit: "3000 ms (upstream lwIP)", asBuilt: nil,
                        firmware: "\(firmwareValue(Firmware(kconfig: "CONFIG_LWIP_TCP_RTO_TIME", defaultValue: 1500, defaultSource: kconfigChecked)).0) ms (CONFIG_LWIP_TCP_RTO_TIME)",
                        firmwareSource: kconfigChecked + " (with high-speed retransmission)", differs: true,
                        effect: "first retransmission of a lost segment comes later here: loss-recovery timing (e.g. at --faults loss=) differs"))
        return rows
    }

    static func memoryPools() -> [Pool] {
        ["TCP_PCB", "TCP_PCB_LISTEN", "UDP_PCB", "RAW_PCB", "TCP_SEG", "PBUF", "PBUF_POOL", "NETCONN", "NETBUF", "ARP_QUEUE",
         "SYS_TIMEOUT", "REASSDATA", "TCPIP_MSG_API", "TCPIP_MSG_INPKT"].map { name in
            Pool(pool: name, library: Int(CLwIPShims_libraryMempSize(name)), headers: Int(CLwIPShims_headerMempSize(name)))
        }
    }

    /// Starts a device in this process, sends it a SYN (MSS 1460, wscale 7) to its web server and reads the
    /// options of its SYN-ACK: what the library really advertises, whatever its headers say.
    static func observeSynAck() -> SynAck {
        do {
            var configuration = DeviceConfiguration()
            configuration.listen = SocketAddress(host: "127.0.0.1", port: 0)
            let device = try TunnelDevice(configuration: configuration)
            try device.start()
            defer { device.stop() }
            let peer = try DevicePeer(connectingTo: device.link.address)
            try peer.send(frame: synWithOptions(sourcePort: 40001, destinationPort: configuration.httpPort))
            guard let reply = try peer.receiveFrame(within: .seconds(2), matching: { frame in
                guard let e = EthernetFrame(frame), e.etherType == EtherType.ipv4, let ip = IPv4Packet(e.payload),
                      ip.protocol == IPProtocol.tcp, let tcp = TCPSegment(ip.payload) else { return false }
                return tcp.destinationPort == 40001 && tcp.flags.contains(.syn) && tcp.flags.contains(.ack)
            }), let e = EthernetFrame(reply), let ip = IPv4Packet(e.payload), let tcp = TCPSegment(ip.payload) else {
                return SynAck(note: "no SYN-ACK within 2 s")
            }
            var result = SynAck(window: Int(tcp.window))
            let options = Array(tcp.bytes.dropFirst(TCPSegment.minimumHeaderLength).prefix(tcp.headerLength - TCPSegment.minimumHeaderLength))
            var index = 0
            while index < options.count {
                let kind = options[index]
                if kind == 0 { break }
                if kind == 1 { index += 1; continue }
                guard index + 1 < options.count else { break }
                let length = Int(options[index + 1])
                guard length >= 2, index + length <= options.count else { break }
                if kind == 2, length == 4 { result.mss = Int(options[index + 2]) << 8 | Int(options[index + 3]) }
                if kind == 3, length == 3 { result.windowScale = Int(options[index + 2]) }
                index += length
            }
            // Tell the stack to forget the half-open connection.
            try? peer.send(frame: PacketBuilder.tcp(srcPort: 40001, dstPort: configuration.httpPort, sequence: 1001,
                                                   flags: .rst))
            return result
        } catch {
            return SynAck(note: "probe failed: \(error)")
        }
    }

    /// A SYN with MSS 1460, NOP, window scale 7 (28-byte TCP header), from the host to the device.
    static func synWithOptions(sourcePort: UInt16, destinationPort: UInt16) -> [UInt8] {
        var segment: [UInt8] = []
        func u16(_ value: UInt16) { segment += [UInt8(value >> 8), UInt8(value & 0xFF)] }
        u16(sourcePort)
        u16(destinationPort)
        segment += [0, 0, 0x03, 0xE8]  // sequence 1000
        segment += [0, 0, 0, 0]
        segment += [7 << 4, TCPFlags.syn.rawValue]
        u16(64240)
        u16(0)  // checksum
        u16(0)
        segment += [2, 4, 0x05, 0xB4, 1, 3, 3, 7]
        let pseudo = IPv4Address.gateway.bytes + IPv4Address.device.bytes + [0, IPProtocol.tcp, 0, UInt8(segment.count)]
        let checksum = InternetChecksum.compute(pseudo + segment)
        segment[16] = UInt8(checksum >> 8)
        segment[17] = UInt8(checksum & 0xFF)
        return PacketBuilder.ipv4(protocol: IPProtocol.tcp, payload: segment)
    }

    static func table(_ rows: [Row]) -> String {
        let header = ["option", "toolkit", "as built", "firmware", "source", "effect of the difference"]
        let cells = rows.map { [$0.option, $0.toolkit, $0.asBuilt ?? "", $0.firmware, $0.firmwareSource,
                                $0.differs ? $0.effect : "same"] }
        var widths = header.map(\.count)
        for row in cells { for (i, cell) in row.enumerated() where i < 5 { widths[i] = max(widths[i], cell.count) } }
        func line(_ row: [String]) -> String {
            row.enumerated().map { i, cell in
                i < 5 ? cell + String(repeating: " ", count: max(0, widths[i] - cell.count)) : cell
            }.joined(separator: "  ")
        }
        return ([line(header), line(widths.prefix(5).map { String(repeating: "-", count: $0) } + ["------"])] + cells.map(line))
            .joined(separator: "\n")
    }
}
