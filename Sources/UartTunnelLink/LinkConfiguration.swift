import UartTunnelSystem
import UartTunnelWire

/// The UART between the device's TCP endpoint and its driver: line speed, faults and captures.
/// The default (no rate, no faults, no capture) is a plain pass-through, like QEMU's chardev.
public struct LinkConfiguration: Sendable, Equatable {
    /// `--baud`/`--frame`: pace both directions at this rate; nil = unpaced.
    public var rate: LineRate?
    /// `--faults`.
    public var faults = FaultConfiguration()
    /// `--raw FILE`.
    public var rawCapturePath: String?
    /// `--capture FILE`.
    public var packetCapturePath: String?
    public var packetFormat: PacketFileFormat = .pcapng
    /// `--tap HOST:PORT`: the raw capture streamed live to clients (CaptureTapServer).
    public var tapAddress: SocketAddress?
    /// The firmware's UART TX ring buffer (the seed's 2 KB): on a paced line a driver's write blocks while this
    /// much is still waiting to go out, as `uart_write_bytes` does.
    public var txBufferBytes = 2048
    /// Bytes from the peer that may wait for the paced RX line before the peer's socket is backed up.
    public var rxBacklogBytes = 4096
    /// The device's `--max-frame`: where captures and fault injection find record boundaries (1518; 9018 jumbo).
    public var maxFrame = WireFormat.maxFrameLength

    public init() {}

    public var isPassthrough: Bool {
        rate == nil && !faults.isActive && rawCapturePath == nil && packetCapturePath == nil && tapAddress == nil
    }

    public var description: String {
        var parts = [rate.map { "paced \($0)" } ?? "unpaced"]
        if faults.isActive { parts.append("faults \(faults.description)") }
        if let rawCapturePath { parts.append("raw capture \(rawCapturePath)") }
        if let packetCapturePath { parts.append("\(packetFormat.rawValue) capture \(packetCapturePath)") }
        if let tapAddress { parts.append("capture tap \(tapAddress)") }
        return parts.joined(separator: ", ")
    }
}

/// The link's section of `/api/status`.
public struct LinkStatus: Sendable, Codable, Equatable {
    public struct Direction: Sendable, Codable, Equatable {
        /// Bytes that entered this direction of the line (RX: from the peer's socket; TX: from the driver).
        public var bytesIn = 0
        /// Bytes that came out of it (RX: to the driver; TX: to the peer's socket).
        public var bytesOut = 0
        /// Whether bytes were held to the line rate.
        public var paced = false
        /// Most bytes ever waiting for the line.
        public var maxBacklog = 0
        /// Times a producer had to wait for room (TX: the driver's write blocked on a full ring buffer).
        public var producerWaits = 0
        /// What the fault injector did (nil without faults in this direction).
        public var faults: FaultCounters?

        public init() {}
    }

    /// `unpaced` or `paced 115200 8N1`.
    public var mode = "unpaced"
    public var baud: Int?
    public var frame: String?
    public var bytesPerSecond: Double?
    /// Transport totals: bytes read from and written to the peer's TCP connection.
    public var bytesIn = 0
    public var bytesOut = 0
    public var rx = Direction()
    public var tx = Direction()
    public var faultSpec: String?
    public var seed: UInt64?
    public var capture: CaptureStatus?

    public init() {}

    /// Injected faults of both directions, for the final log line.
    public var summary: String {
        var text = "link \(mode): in \(bytesIn) B, out \(bytesOut) B"
        for (name, direction) in [("rx", rx), ("tx", tx)] {
            guard let f = direction.faults else { continue }
            text += "; \(name) faults: lost \(f.recordsLost), truncated \(f.recordsTruncated), bytes dropped "
                + "\(f.bytesDropped), bits flipped \(f.bitsFlipped), delayed \(f.recordsDelayed) of \(f.records) records"
        }
        if let capture {
            text += "; capture: \(capture.frames) frames"
            if let raw = capture.raw { text += ", raw \(raw) (\(capture.rawBytes) B)" }
            if let packets = capture.packets { text += ", \(capture.packetFormat ?? "pcap") \(packets)" }
        }
        return text
    }
}
