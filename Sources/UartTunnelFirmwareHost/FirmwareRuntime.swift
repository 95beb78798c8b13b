import UartTunnelSystem

/// What lives around the firmware's "chip" and outlives a reset: its NVS partition, the restart policy and the
/// UART0 console (`uart-tunnel device --nvs FILE --max-restarts N --console HOST:PORT`).
public struct FirmwareRuntime: Sendable {
    /// The NVS partition's file, kept across runs; nil: a partition in memory that lives as long as the device
    /// process and survives esp_restart (a fresh, erased partition each run, like `idf.py erase-flash`).
    public var nvsPath: String?
    /// The UART0 console's address; nil: no console (ESP_LOG lines still go to stderr).
    public var console: SocketAddress?
    /// esp_restart restarts the device at most this many times; then it ends with exit status 3. nil: no limit.
    public var maxRestarts: Int?

    public init(nvsPath: String? = nil, console: SocketAddress? = nil, maxRestarts: Int? = nil) {
        self.nvsPath = nvsPath
        self.console = console
        self.maxRestarts = maxRestarts
    }
}
