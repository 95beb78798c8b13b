import Logging
import Synchronization
import UartTunnelSystem
import UartTunnelWire

/// The host end of the UART tunnel: moves records between the device's TCP endpoint and a TUN/TAP interface.
///
/// ```
///  kernel <-> tap0/tun0 <-> [ TunFraming ] <-> [ RecordEncoder / RecordDecoder ] <-> TCP 127.0.0.1:5556 <-> device
/// ```
///
/// One thread does everything with blocking I/O and `poll`: the interface, the socket and a wake-up pipe. The
/// interface is opened once and kept while the device comes and goes, so addresses and routes survive a QEMU
/// restart. `run()` blocks until `stop()` (from any thread, e.g. a signal handler thread).
public final class Bridge: Sendable {
    public let configuration: BridgeConfiguration
    private let logger: Logger
    private let wake: (read: Descriptor, write: Descriptor)
    private let stopping = Atomic<Bool>(false)
    private let slot = SocketSlot()

    public init(configuration: BridgeConfiguration, logger: Logger = Logger(label: "bridge")) throws(BridgeError) {
        guard WireFormat.maxFrameLimits.contains(configuration.maxFrame) else {
            throw .invalidConfiguration("max frame \(configuration.maxFrame) is outside \(WireFormat.maxFrameLimits)")
        }
        let mtus = BridgeConfiguration.mtuRange(maxFrame: configuration.maxFrame)
        guard mtus.contains(configuration.mtu) else {
            throw .invalidConfiguration("MTU \(configuration.mtu) is outside \(mtus): "
                + "a frame (MTU + 14 bytes) must fit the wire's \(configuration.maxFrame)-byte limit")
        }
        self.configuration = configuration
        self.logger = logger
        do {
            wake = try Descriptor.pipe()
        } catch {
            throw .system(error)
        }
    }

    deinit {
        wake.read.close()
        wake.write.close()
    }

    /// Asks `run()` to return; safe from any thread, idempotent.
    public func stop() {
        guard !stopping.exchange(true, ordering: .sequentiallyConsistent) else { return }
        var byte: UInt8 = 1
        _ = try? withUnsafeBytes(of: &byte) { (bytes) throws(SystemError) in try wake.write.write(bytes) }
        slot.shutdown()
    }

    /// Opens and configures the interface, then bridges until `stop()`. Returns the final counters (also
    /// logged). Throws when the interface can not be opened, configured or read; device failures never throw.
    @discardableResult
    public func run() throws(BridgeError) -> BridgeCounters {
        Signals.ignorePipe()
        let interface: TunTapDevice
        do {
            interface = try TunTapDevice.open(name: configuration.interfaceName, mode: configuration.mode)
            // Non-blocking, so a poll wake-up can drain every packet that is ready in one burst.
            try interface.descriptor.setNonBlocking(true)
        } catch {
            throw .openInterface(error, name: configuration.interfaceName, mode: configuration.mode)
        }
        defer { interface.close() }
        try InterfaceSetup.apply(configuration, name: interface.name, logger: logger)
        logger.info("""
            \(configuration.mode) \(interface.name) \(configuration.address) mtu \(configuration.mtu) \
            <-> device \(configuration.deviceName)
            """)

        var session = BridgeSession(
            configuration: configuration, interface: interface, logger: logger, slot: slot,
            isStopping: { [unowned self] in stopping.load(ordering: .sequentiallyConsistent) })
        defer {
            session.disconnect(reason: nil)
            logger.info("counters: \(session.counters.summary)")
        }
        while !stopping.load(ordering: .sequentiallyConsistent) {
            try session.step(wake: wake.read)
        }
        return session.counters
    }
}
