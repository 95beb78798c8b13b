import UartTunnelLink
import UartTunnelLwIP

/// What sits behind the device's UART: it consumes the byte stream the peer sends and emits bytes through the
/// `send` it was made with. The Swift reference driver (`SwiftNetifDriver`) and firmware C code running on the
/// ESP-IDF host layer are both drivers; the endpoint around them (the link, its counters, the status pages) is
/// shared: `TunnelDevice` serves `/` and `/api/status` for every driver (``LwIPHTTPServer`` + ``StatusPages``
/// with a ``DeviceStatus``), on the lwIP port the driver names.
public protocol DeviceDriver: ByteStreamReceiver {
    /// A short name for logs and `/api/status` ("swift", "firmware", a file name).
    var name: String { get }
    /// Counters in the common shape of `/api/status` (the link's own counters come from the link, not from here).
    var counters: DriverCounters { get }
    /// The tunnel addresses as the driver's netif has them (a firmware chooses its own), for `/api/status`.
    var addresses: TunnelConfiguration { get }
    /// The lwIP port on which `TunnelDevice` serves the status pages, or nil for none. Read after `start`, which
    /// must leave lwIP running when this is not nil.
    var statusPort: UInt16? { get }
    /// Starts the driver's own activity (tasks, the firmware's web server). Called once, after the link is listening and
    /// before it delivers bytes.
    func start() throws
    func stop()
}

/// Everything goes through `send` as whole records where the driver knows them (one write per record).
public typealias DeviceOutput = @Sendable (_ bytes: [UInt8]) -> Void

/// Counters every driver reports; `defects` names problems a driver showed while running (count per name).
public struct DriverCounters: Sendable, Codable, Equatable {
    public var rxFrames = 0
    public var rxBytes = 0
    public var badLengths = 0
    public var timeouts = 0
    public var discardedOnDisconnect = 0
    /// Every byte the driver's decoder has taken from the link, whatever became of it.
    public var streamBytes = 0
    public var droppedByStack = 0
    public var txFrames = 0
    public var txBytes = 0
    public var gatewayARPAnsweredLocally = 0
    public var defects: [String: Int] = [:]
    /// A Wi-Fi firmware's radio; nil for every other driver.
    public var radio: RadioStatus?
    /// A firmware driver's heap (`--heap-kb`); nil for the Swift driver.
    public var heap: HeapStatus?

    public init() {}
}
