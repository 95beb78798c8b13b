import UartTunnelLink

/// What sits behind the device's UART: it consumes the byte stream the peer sends and emits bytes through the
/// `send` it was made with. The Swift reference driver (`SwiftNetifDriver`) and firmware C code running on the
/// ESP-IDF host layer are both drivers; the endpoint around them (TCP, later pacing and capture) is shared.
public protocol DeviceDriver: ByteStreamReceiver {
    /// A short name for logs and `/api/status` ("swift", "firmware", a file name).
    var name: String { get }
    /// Counters in the common shape of `/api/status`.
    var counters: DriverCounters { get }
    /// Starts the driver's own activity (tasks, web server). Called once, after the link is listening.
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
    public var droppedByStack = 0
    public var txFrames = 0
    public var txBytes = 0
    public var gatewayARPAnsweredLocally = 0
    public var defects: [String: Int] = [:]

    public init() {}
}
