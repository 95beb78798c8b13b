import Logging
import UartTunnelLog
import UartTunnelSystem
import UartTunnelWire

/// The state of one `Bridge.run()`: the connection (if any), the decoder, the backoff and the counters. Owned by
/// the bridge's single thread, so nothing here needs a lock.
struct BridgeSession {
    let configuration: BridgeConfiguration
    let interface: TunTapDevice
    let logger: Logger
    let framing: TunFraming
    let slot: SocketSlot
    /// True once `Bridge.stop()` ran: a write it interrupted is not a lost device worth a warning.
    let isStopping: () -> Bool

    private(set) var counters = BridgeCounters()
    /// Junk from the device would otherwise write a warning per two bytes: at most 10 a second each.
    private var badLengthWarnings = LogRateLimiter()
    private var timeoutWarnings = LogRateLimiter()
    private var socket: Descriptor?
    private var decoder: RecordDecoder
    private var backoff: ReconnectBackoff
    private var nextAttempt = ContinuousClock.now
    private var everConnected = false
    private var socketBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    /// Larger than any frame the kernel hands over, so an oversized one is seen whole and dropped, not truncated.
    private var interfaceBuffer = [UInt8](repeating: 0, count: 64 * 1024)

    init(
        configuration: BridgeConfiguration, interface: TunTapDevice, logger: Logger, slot: SocketSlot,
        isStopping: @escaping () -> Bool
    ) {
        self.configuration = configuration
        self.isStopping = isStopping
        self.interface = interface
        self.logger = logger
        self.slot = slot
        framing = TunFraming(mode: configuration.mode, subnet: configuration.address, hostMAC: configuration.hostMAC)
        decoder = RecordDecoder(timeout: configuration.partialRecordTimeout, maxFrame: configuration.maxFrame)
        backoff = configuration.backoff
    }

    /// Connects if due, waits for the first of: device bytes, an interface packet, a decoder or reconnect
    /// deadline, or `wake`; then serves what is ready. Returns at once when `wake` is readable.
    mutating func step(wake: Descriptor) throws(BridgeError) {
        if socket == nil, ContinuousClock.now >= nextAttempt { try connect() }
        var watched = [wake, interface.descriptor]
        if let socket { watched.append(socket) }
        let ready: [Descriptor]
        do {
            ready = try Poll.readable(watched, timeout: pollTimeout())
        } catch {
            throw .system(error)
        }
        if ready.contains(wake) { return }
        if let socket, ready.contains(socket) {
            readDevice(socket)
        } else {
            var events: [DecoderEvent] = []
            decoder.expire(now: .now) { events.append($0) }
            events.forEach { handle($0) }
        }
        if ready.contains(interface.descriptor) { try readInterface() }
    }

    /// Closes the connection (if any) and drops a half-received record: the next connection is a new stream.
    /// `reason` nil means a deliberate close (shutdown), which is not worth a warning.
    mutating func disconnect(reason: String?) {
        guard let socket else { return }
        slot.publish(nil)
        socket.close()
        self.socket = nil
        if let reason, !isStopping() {
            logger.warning("device connection lost (\(reason)); keeping \(interface.name), reconnecting")
        }
        var events: [DecoderEvent] = []
        decoder.reset { events.append($0) }
        events.forEach { handle($0) }
        nextAttempt = .now
    }

    // MARK: - Device side

    private func pollTimeout() -> Duration? {
        let now = ContinuousClock.now
        var deadlines: [ContinuousClock.Instant] = []
        if let deadline = decoder.deadline { deadlines.append(deadline) }
        if socket == nil { deadlines.append(nextAttempt) }
        return deadlines.min().map { $0 - now }
    }

    /// Throws only when the very first attempt fails for a reason waiting can not cure (a busy or refused
    /// serial port): a device that is merely absent is waited for, with backoff.
    private mutating func connect() throws(BridgeError) {
        let address = configuration.deviceName
        do {
            let socket = try DeviceConnector.open(configuration)
            self.socket = socket
            slot.publish(socket)
            if everConnected {
                counters.reconnects += 1
                logger.info("device \(address) is back after \(backoff.failures + 1) tries; traffic resumes")
            } else {
                logger.info("connected to device \(address)")
            }
            everConnected = true
            backoff.succeeded()
        } catch {
            if error.isPermanent && !everConnected { throw .device(error.description) }
            nextAttempt = .now + backoff.failed()
            if backoff.shouldLog {
                logger.warning("device \(address) unavailable (\(error)); try \(backoff.failures), retrying with backoff")
            }
        }
    }

    private mutating func readDevice(_ socket: Descriptor) {
        let count: Int
        do {
            count = try socket.read(into: &socketBuffer)
        } catch {
            disconnect(reason: error.description)
            return
        }
        guard count > 0 else {
            disconnect(reason: "device closed the connection")
            return
        }
        var events: [DecoderEvent] = []
        socketBuffer.withUnsafeBytes { bytes in
            decoder.feed(UnsafeRawBufferPointer(rebasing: bytes[0..<count]), now: .now) { events.append($0) }
        }
        events.forEach { handle($0) }
    }

    private mutating func handle(_ event: DecoderEvent) {
        switch event {
        case .frame(let frame):
            counters.recordsFromDevice += 1
            counters.bytesFromDevice += frame.count
            logger.trace("RX: \(frame.count) bytes \(describe(frame: frame))")
            route(frame)
        case .badLength:
            counters.badLengths += 1
            if let line = badLengthWarnings.admit("RX: \(event)") { logger.warning("\(line)") }
        case .timeout:
            counters.timeouts += 1
            if let line = timeoutWarnings.admit("RX: \(event)") { logger.warning("\(line)") }
        case .discarded:
            counters.discardedPartial += 1
            logger.info("RX: \(event)")
        }
    }

    private mutating func route(_ frame: [UInt8]) {
        switch framing.fromDevice(frame) {
        case .deliver(let bytes):
            writeInterface(bytes)
        case .reply(let reply):
            counters.arpAnswered += 1
            logger.debug("answering the device's ARP request from \(framing.hostMAC)")
            sendToDevice(reply)
        case .ignoreARP:
            counters.arpIgnored += 1
        case .dropNonIP(let etherType):
            counters.nonIPDropped += 1
            logger.debug("RX: dropped frame with EtherType 0x\(String(etherType, radix: 16)): a TUN device carries IP only")
        }
    }

    private mutating func sendToDevice(_ frame: [UInt8]) {
        var batch: [UInt8] = []
        if append(frame, to: &batch) { flush(batch, frames: 1) }
    }

    /// Adds `frame` to `batch` as one record; false (counted, logged) when it has no valid record.
    private mutating func append(_ frame: [UInt8], to batch: inout [UInt8]) -> Bool {
        do {
            try RecordEncoder.append(frame, to: &batch, maxFrame: configuration.maxFrame)
        } catch {
            counters.droppedOversize += 1
            logger.warning("TX: dropped: \(error)")
            return false
        }
        logger.trace("TX: \(frame.count) bytes \(describe(frame: frame))")
        counters.bytesToDevice += frame.count
        return true
    }

    /// One write for whole records: with TCP_NODELAY they leave at once, never a lone length prefix.
    private mutating func flush(_ batch: [UInt8], frames: Int) {
        guard !batch.isEmpty else { return }
        guard let socket else {
            counters.droppedNoDevice += frames
            return
        }
        do {
            try socket.writeAll(batch)
            counters.recordsToDevice += frames
        } catch {
            disconnect(reason: error.description)
        }
    }

    // MARK: - Interface side

    /// Drains what the interface has ready (up to `interfaceBurst` packets, the descriptor is non-blocking) and
    /// sends it to the device in one write: one syscall per burst instead of per packet under load.
    private mutating func readInterface() throws(BridgeError) {
        var batch: [UInt8] = []
        var frames = 0
        for _ in 0..<Self.interfaceBurst {
            let ready: Int?
            do {
                ready = try interface.descriptor.readIfReady(into: &interfaceBuffer)
            } catch {
                throw .interfaceIO(error)
            }
            guard let count = ready, count > 0 else { break }
            guard let frame = framing.toDevice(Array(interfaceBuffer[0..<count])) else {
                counters.droppedUnknownIPVersion += 1
                logger.debug("TX: dropped \(count)-byte packet from \(interface.name): not IPv4 or IPv6")
                continue
            }
            guard frame.count <= configuration.maxFrameToDevice else {
                counters.droppedOversize += 1
                logger.warning("""
                    TX: dropped \(frame.count)-byte frame: larger than MTU + 14 (\(configuration.maxFrameToDevice)), \
                    the device would reject it
                    """)
                continue
            }
            guard socket != nil else {
                counters.droppedNoDevice += 1
                logger.trace("TX: dropped \(frame.count)-byte frame: no device connected")
                continue
            }
            if append(frame, to: &batch) { frames += 1 }
        }
        flush(batch, frames: frames)
    }

    static let interfaceBurst = 64

    private mutating func writeInterface(_ bytes: [UInt8]) {
        do {
            _ = try bytes.withUnsafeBytes { raw in Result { () throws(SystemError) in try interface.descriptor.write(raw) } }.get()
        } catch {
            counters.interfaceWriteErrors += 1
            // Rare (interface set down); the first and every hundredth keep the log readable.
            if counters.interfaceWriteErrors % 100 == 1 {
                logger.warning("writing to \(interface.name) failed: \(error) (\(counters.interfaceWriteErrors) so far)")
            }
        }
    }
}
