import UartTunnelLink
import UartTunnelSystem

/// What lives around the firmware's "chip" and outlives a reset: its NVS partition, the restart policy and the
/// UART0 console, and the soft-AP's link (`uart-tunnel device --nvs FILE --max-restarts N --console HOST:PORT
/// --ap-listen HOST:PORT`).
public struct FirmwareRuntime: Sendable {
    /// The NVS partition's file, kept across runs; nil: a partition in memory that lives as long as the device
    /// process and survives esp_restart (a fresh, erased partition each run, like `idf.py erase-flash`).
    public var nvsPath: String?
    /// The UART0 console's address; nil: no console (ESP_LOG lines still go to stderr).
    public var console: SocketAddress?
    /// esp_restart restarts the device at most this many times; then it ends with exit status 3. nil: no limit.
    public var maxRestarts: Int?
    /// The soft-AP's radio, a second link whose peer is a station of the firmware's AP (`--ap-listen`,
    /// SoftAPLink.swift); nil: the AP netif's frames are dropped and counted.
    public var apListen: LinkEndpoint?

    public init(nvsPath: String? = nil, console: SocketAddress? = nil, maxRestarts: Int? = nil,
                apListen: LinkEndpoint? = nil) {
        self.nvsPath = nvsPath
        self.console = console
        self.maxRestarts = maxRestarts
        self.apListen = apListen
    }
}
