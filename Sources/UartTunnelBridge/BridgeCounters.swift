/// What the bridge did, logged at exit (and on demand) as one line.
/// RX is from the device towards the interface, TX from the interface towards the device, as in the frame log.
public struct BridgeCounters: Sendable, Equatable {
    /// Valid records decoded from the device, and their frame bytes (length prefixes excluded).
    public var recordsFromDevice = 0
    public var bytesFromDevice = 0
    /// Records written to the device (ARP replies included), and their frame bytes.
    public var recordsToDevice = 0
    public var bytesToDevice = 0
    /// Stream faults from the device, as the firmware's RX task would see them.
    public var badLengths = 0
    public var timeouts = 0
    /// Partial records dropped because the connection ended under them.
    public var discardedPartial = 0
    /// Frames from the interface larger than MTU + 14: the device's receive buffer would reject them.
    public var droppedOversize = 0
    /// Packets from the interface while no device was connected.
    public var droppedNoDevice = 0
    /// tun mode: packets from the kernel that are neither IPv4 nor IPv6.
    public var droppedUnknownIPVersion = 0
    /// tun mode: frames from the device that are not IP or ARP, ARP requests answered and ARP packets ignored.
    public var nonIPDropped = 0
    public var arpAnswered = 0
    public var arpIgnored = 0
    /// Frames the kernel refused (e.g. the interface was set down).
    public var interfaceWriteErrors = 0
    /// Connections established after the first one.
    public var reconnects = 0

    public init() {}

    public var summary: String {
        "rx \(recordsFromDevice) records/\(bytesFromDevice) B, tx \(recordsToDevice) records/\(bytesToDevice) B, "
            + "bad lengths \(badLengths), timeouts \(timeouts), discarded partial \(discardedPartial), "
            + "dropped oversize \(droppedOversize), dropped no device \(droppedNoDevice), "
            + "dropped unknown IP version \(droppedUnknownIPVersion), non-IP dropped \(nonIPDropped), "
            + "ARP answered \(arpAnswered), ARP ignored \(arpIgnored), interface write errors \(interfaceWriteErrors), "
            + "reconnects \(reconnects)"
    }
}
