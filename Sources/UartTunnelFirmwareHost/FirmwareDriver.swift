import CEspIdfHost
import Foundation
import Logging
import Synchronization
import UartTunnelDevice
import UartTunnelLink
import UartTunnelLog
import UartTunnelLwIP
import UartTunnelSystem
import UartTunnelWire

/// Firmware C code (the in-repo driver and web server, or a user's ESP-IDF netif driver) running on the ESP-IDF
/// host layer as the device's driver.
///
/// ```
///  link ──bytes──▶ RecordDecoder (the wire's view: valid frames noted) ──▶ UART1 RX ring ──▶ firmware RX task
///                                                                                              │ netif->input
///  link ◀──send─── UART1 TX (one piece per linkoutput) ◀── firmware linkoutput ◀── lwIP ◀───────┘
/// ```
///
/// The toolkit's decoder does not feed the firmware: it watches the same bytes so a valid frame that never reaches
/// lwIP can be named ("valid-frame-dropped"). Defects the host layer sees are logged and listed in `counters`.
/// The toolkit's status pages (on `statusPort`, with the defects) are the device's, served by `TunnelDevice` as for
/// the Swift driver; the link's counters come from the link.
public final class FirmwareDriver: DeviceDriver, @unchecked Sendable {
    public struct Options: Sendable {
        /// The UART wired to the link (the tunnel firmware's UART1).
        public var uart: Int = 1
        /// lwIP port for the toolkit's status pages (`/api/status` with defects, served by `TunnelDevice`); 0: none.
        /// Port 80 is the firmware's own web server.
        public var statusPort: UInt16 = 8080
        /// How long `start` waits for the entry function to return (or to install the link's UART driver) before
        /// letting the link start anyway.
        public var entryWait: Duration = .seconds(10)
        /// The firmware's heap in bytes (`--heap-kb`): its malloc returns NULL past it (src/system/heap.c).
        public var heapBytes: Int = FirmwareDriver.defaultHeapBytes
        /// NVS, esp_restart and the UART0 console (FirmwareDriver+Runtime.swift).
        public var runtime = FirmwareRuntime()

        public init(uart: Int = 1, statusPort: UInt16 = 8080) {
            self.uart = uart
            self.statusPort = statusPort
        }
    }

    public let name: String
    public let sources: FirmwareSources
    private let configuration: DeviceConfiguration
    private let options: Options
    private let logger: Logger
    private let entry: @convention(c) () -> Void
    private let output: OutputBox
    private let decoder: Mutex<RecordDecoder>
    /// After a peer left mid-record, the next peer's bytes wait until this instant: the firmware's own partial-frame
    /// timeout must run out, as if the line had been idle while the cable changed hands. (The link's counters are the
    /// link's: `TunnelDevice.status`.)
    private let peerChangeHold = Mutex<ContinuousClock.Instant?>(nil)
    /// A frame that waits longer than this for netif->input was dropped by the driver.
    private let deliveryLimit: Duration

    private static let loaded = Atomic(false)

    /// An ESP32's heap: the 8-bit-capable DRAM regions in ESP-IDF v5.4's documented boot log (src/system/heap.c).
    public static var defaultHeapBytes: Int { Int(CEspIdfHost_defaultHeapBytes()) }

    /// Compiles and loads the firmware; nothing runs until `start`. Compiler output goes to stderr.
    public init(sources: FirmwareSources, configuration: DeviceConfiguration, logger: Logger,
                send: @escaping DeviceOutput, options: Options = Options(),
                compiler: FirmwareCompiler = FirmwareCompiler()) throws(FirmwareError) {
        guard !Self.loaded.exchange(true, ordering: .acquiringAndReleasing) else { throw .alreadyLoaded }
        self.name = sources.name
        self.sources = sources
        self.configuration = configuration
        self.options = options
        self.logger = logger
        decoder = Mutex(RecordDecoder(timeout: configuration.frameTimeout, maxFrame: configuration.tunnel.maxFrame))
        CEspIdfHost_setMaxFrame(configuration.tunnel.maxFrame)
        deliveryLimit = configuration.frameTimeout * 3
        let path: String
        let library: FirmwareLibrary
        CEspIdfHost_resetClock()
        var directory: String?
        do {
            // esp_restart resets the chip, it does not reflash it: the object the first start built runs again
            // (so an edit to the sources while the device runs does not change the firmware, as on a board).
            if let kept = DeviceRestart.inheritedPath("firmware-object") {
                path = kept
            } else {
                if sources.project == nil {  // a project's build logs its own lines (ProjectBuild)
                    logger.info("compiling \(sources.files.count) C file\(sources.files.count == 1 ? "" : "s") (\(sources.name)) against the ESP-IDF host layer")
                }
                path = try compiler.build(sources)
            }
            directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            library = try FirmwareLibrary(path: path)
            entry = try library.entry(named: sources.entry)
            // bound before the firmware runs, so a port in use is one error at start (SoftAPLink.swift)
            softAP = try options.runtime.apListen.map { endpoint throws(FirmwareError) in
                do {
                    return try SoftAPLink(endpoint: endpoint, frameTimeout: configuration.frameTimeout,
                                          maxFrame: configuration.tunnel.maxFrame, logger: logger)
                } catch {
                    throw .softAPLink("--ap-listen \(endpoint): \(error)")
                }
            }
        } catch {
            Self.loaded.store(false, ordering: .releasing)
            if let directory { TemporaryPaths.remove(directory) }  // built but not loadable
            throw error
        }
        DeviceRestart.keepPath(path, as: "firmware-object")
        // Kept on disk while loaded so a crash report can name function and line; removed at exit.
        CEspIdfHost_setFirmwareFile(path, URL(fileURLWithPath: path).deletingLastPathComponent().path)
        output = OutputBox(send)
        let box = Unmanaged.passRetained(output).toOpaque()
        CEspIdfHost_setTxCallback(firmwareTransmit, box)
        CEspIdfHost_setLinkUart(Int32(options.uart))
        // `--baud`: uart_write_bytes blocks as a chip's TX ring and FIFO at that rate would (uart_tx_line.c)
        let rate = configuration.link.rate
        CEspIdfHost_setLinkLineRate(UInt32(rate?.baud ?? 0), UInt32(rate?.format.halfBitsPerCharacter ?? 0))
        CEspIdfHost_setHeapLimit(options.heapBytes)
        CEspIdfHost_setIpForward(sources.project?.configFlag("CONFIG_LWIP_IP_FORWARD") == true ? 1 : 0)
        Self.prepareRuntime(options.runtime, logger: logger)
        CEspIdfHost_setFirmwareLoaded(1)
        CEspIdfHost_setFirmwareImage(unsafeBitCast(entry, to: UnsafeRawPointer.self))
    }

    /// Runs the entry function on the "main" task and waits until it returns (ESP-IDF's app_main usually does) or
    /// has installed the link's UART driver, from which point a chip receives bytes. With a `statusPort`, makes sure
    /// lwIP runs for the status pages.
    public func start() throws {
        CEspIdfHost_setLogLevel(Int32(Self.espLogLevel(UartTunnelLogging.level)))
        console = try Self.boot(options.runtime, logger: logger)
        softAP?.start()   // before app_main: a station may wait there for the AP to start
        CEspIdfHost_startMainTask(entry)
        let waitMs = Int32(options.entryWait.components.seconds * 1000)
        switch CEspIdfHost_waitLinkReady(waitMs) {
        case 0:
            logger.info("\(sources.entry)() is still running after \(options.entryWait); starting the link anyway")
        case 2:
            logger.debug("\(sources.entry)() is still running; UART\(options.uart) is installed: starting the link")
        default:
            break
        }
        if options.statusPort != 0 {
            let err = CEspIdfHost_startStack()
            if err != 0 {
                logger.warning("lwIP is not running (esp_netif_init: esp_err 0x\(String(err, radix: 16))): no status pages")
                stackRunning = false
            }
        }
    }

    /// Set by `start` (before `statusPort` is read): false if lwIP could not be started for the status pages.
    private var stackRunning = true
    /// The UART0 console (`--console`), started by `start`.
    private var console: FirmwareConsole?
    /// The soft-AP's link (`--ap-listen`), bound by `init`, started by `start`.
    private var softAP: SoftAPLink?

    public var statusPort: UInt16? { options.statusPort != 0 && stackRunning ? options.statusPort : nil }

    public func stop() {
        console?.stop()
        softAP?.stop()
        CEspIdfHost_shutdown()
    }

    // MARK: ByteStreamReceiver — on the link's reader thread.

    public func linkConnected(peer: String) {
        let hold = peerChangeHold.withLock { hold -> ContinuousClock.Instant? in
            defer { hold = nil }
            return hold
        }
        if let hold, hold > .now {
            let ms = (hold - .now).components.seconds * 1000 + (hold - .now).components.attoseconds / 1_000_000_000_000_000
            logger.info("the last peer left mid-record: holding this peer's bytes \(ms) ms, until the firmware's partial-frame timeout has run out")
            let wait = (hold - .now).components
            Thread.sleep(forTimeInterval: Double(wait.seconds) + Double(wait.attoseconds) / 1e18)
        }
    }

    public func linkReceived(_ bytes: UnsafeRawBufferPointer, at time: ContinuousClock.Instant) {
        let radio = CEspIdfHost_wifiOwnsLink() != 0  // a Wi-Fi station: the link is its radio (RadioScenario.swift)
        decoder.withLock { decoder in
            // The record in progress, if any, is the first to complete in these bytes (or times out first):
            // completing within the band before its deadline, the driver may fairly have dropped it.
            var nearDeadline = decoder.deadline.map { $0 - time < .milliseconds(Int(CEspIdfHost_DEADLINE_BAND_MS)) }
            decoder.feed(bytes, now: time) { event in
                if case .frame(let frame) = event {
                    frame.withUnsafeBufferPointer {
                        radio ? CEspIdfHost_wifiLinkReceive($0.baseAddress, $0.count)
                            : CEspIdfHost_noteWireFrame($0.baseAddress, $0.count, nearDeadline == true)
                    }
                } else {
                    logger.debug("wire: \(event)")
                }
                nearDeadline = false
            }
        }
        if !radio, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) {
            _ = CEspIdfHost_uartFeed(base, bytes.count, 200)
        }
        expireWireFrames()
    }

    public func linkIdle(at time: ContinuousClock.Instant) {
        decoder.withLock { decoder in decoder.expire(now: time) { logger.debug("wire: \($0)") } }
        expireWireFrames()
    }

    public func linkDisconnected(reason: String) {
        var midRecord = false
        decoder.withLock { decoder in
            decoder.reset { event in
                midRecord = true
                logger.debug("wire: \(event)")
            }
        }
        let discarded = CEspIdfHost_uartDiscardInput()
        if discarded > 0 {
            logger.warning("peer left: discarded \(discarded) bytes still in the UART\(options.uart) RX ring")
        }
        if midRecord || discarded > 0 {
            peerChangeHold.withLock { $0 = .now + configuration.frameTimeout + .milliseconds(150) }
        }
    }

    public var nextDeadline: ContinuousClock.Instant? {
        let decoding = decoder.withLock { $0.deadline }
        let pending = CEspIdfHost_expireWireFrames(UInt32(deliveryLimit.components.seconds * 1000)) > 0
        let check: ContinuousClock.Instant? = pending ? .now + .milliseconds(500) : nil
        switch (decoding, check) {
        case let (a?, b?): return min(a, b)
        case let (a, b): return a ?? b
        }
    }

    private func expireWireFrames() {
        _ = CEspIdfHost_expireWireFrames(UInt32(deliveryLimit.components.seconds * 1000))
    }

    // MARK: Counters and status

    public var counters: DriverCounters {
        var host = CEspIdfHost_Counters()
        CEspIdfHost_readCounters(&host)
        let decoded = decoder.withLock { $0.counters }
        var counters = DriverCounters()
        counters.rxFrames = Int(host.rxFrames)
        counters.rxBytes = Int(host.rxBytes)
        counters.badLengths = decoded.badLengths
        counters.timeouts = decoded.timeouts
        counters.discardedOnDisconnect = decoded.discarded
        counters.streamBytes = decoded.bytesIn
        counters.droppedByStack = Int(host.droppedByStack)
        counters.txFrames = Int(host.txFrames)
        counters.txBytes = Int(host.txBytes)
        counters.gatewayARPAnsweredLocally = Int(host.gatewayARPAnsweredLocally)
        counters.defects = Self.defects
        counters.radio = Self.radioStatus(softAPLink: softAP?.link.source.endpoint)
        var heap = CEspIdfHost_Heap()
        CEspIdfHost_readHeap(&heap)
        counters.heap = HeapStatus(sizeBytes: Int(heap.limit), inUseBytes: Int(heap.inUse),
                                   minimumFreeBytes: Int(heap.minimumFree), refused: Int(heap.refused))
        return counters
    }

    /// Every defect the host layer has named so far, with its count.
    public static var defects: [String: Int] {
        var defects: [String: Int] = [:]
        var name = [CChar](repeating: 0, count: 64)
        for index in 0..<CEspIdfHost_defectCount() {
            let count = CEspIdfHost_defect(index, &name, name.count)
            let bytes = name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            defects[String(decoding: bytes, as: UTF8.self)] = Int(count)
        }
        return defects
    }

    /// The addresses the firmware gave its esp_netif (the configured ones until it has one).
    public var addresses: TunnelConfiguration {
        var tunnel = configuration.tunnel
        var ip: UInt32 = 0, netmask: UInt32 = 0, gateway: UInt32 = 0
        var mac = [UInt8](repeating: 0, count: 6)
        if CEspIdfHost_netifAddresses(&ip, &netmask, &gateway, &mac) != 0 {
            tunnel.address = IPv4Address(value: UInt32(bigEndian: ip))
            tunnel.netmask = IPv4Address(value: UInt32(bigEndian: netmask))
            tunnel.gateway = IPv4Address(value: UInt32(bigEndian: gateway))
            tunnel.deviceMAC = MACAddress(bytes: mac) ?? tunnel.deviceMAC
        }
        return tunnel
    }

    /// esp_log_level_t for the toolkit's --log-level.
    static func espLogLevel(_ level: ESPLogLevel) -> Int {
        switch level {
        case .none: 0
        case .error: 1
        case .warn: 2
        case .info: 3
        case .debug: 4
        case .verbose: 5
        }
    }
}

/// What the C TX callback reaches: the device's `send` (the link counts what it sends, with or without a peer).
private final class OutputBox: Sendable {
    let send: DeviceOutput
    init(_ send: @escaping DeviceOutput) { self.send = send }
}

private func firmwareTransmit(_ context: UnsafeMutableRawPointer?, _ bytes: UnsafePointer<UInt8>?, _ count: Int) {
    guard let context, let bytes, count > 0 else { return }
    let box = Unmanaged<OutputBox>.fromOpaque(context).takeUnretainedValue()
    box.send(Array(UnsafeBufferPointer(start: bytes, count: count)))
}
