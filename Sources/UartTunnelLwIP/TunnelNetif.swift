import CLwIP
import CLwIPShims
import Synchronization
import UartTunnelWire

/// The tunnel netif: lwIP's view of UART1, mirroring `netif_uart_tunnel_sim.c`.
///
/// - TX: lwIP calls `linkoutput(netif, p)`; the whole pbuf chain (`p->tot_len`) becomes one record
///   `[len_hi][len_lo][frame]` handed to `output` in one piece (one write on the link).
/// - RX: `input(frame:)` copies a validated frame into a fresh pbuf and calls `netif->input` (`tcpip_input`);
///   if that fails the pbuf is freed here, as lwIP's own drivers do.
///
/// One public entry (`init`), private state reached through `netif->state`, like lwIP's `tapif.c`.
public final class TunnelNetif: @unchecked Sendable {
    public typealias RecordOutput = @Sendable (_ record: [UInt8]) -> Void

    public let configuration: TunnelConfiguration
    /// The live lwIP netif (for inspection; call into lwIP only through `withLwIPCore`).
    public let netif: UnsafeMutablePointer<netif>
    let staticARP: StaticGatewayARP
    private let output: RecordOutput
    private let countersBox = Mutex(TunnelNetifCounters())

    /// Adds the netif to the process's lwIP stack, makes it the default, brings it up and seeds the static ARP
    /// entry. Link-up sends a gratuitous ARP through `output` on this thread: `output` must be ready.
    public init(configuration: TunnelConfiguration = TunnelConfiguration(), output: @escaping RecordOutput) {
        LwIPStack.start()
        self.configuration = configuration
        self.output = output
        self.staticARP = StaticGatewayARP(configuration: configuration)
        self.netif = .allocate(capacity: 1)
        netif.initialize(to: CLwIP.netif())

        var address = ip4_addr_t(addr: configuration.address.value.bigEndian)
        var netmask = ip4_addr_t(addr: configuration.netmask.value.bigEndian)
        var gateway = ip4_addr_t(addr: configuration.gateway.value.bigEndian)
        let state = Unmanaged.passUnretained(self).toOpaque()
        withLwIPCore {
            let added = netif_add(netif, &address, &netmask, &gateway, state, tunnelNetifInit, tcpip_input)
            precondition(added != nil, "netif_add failed for the tunnel netif")
            netif_set_default(netif)
            netif_set_up(netif)
            netif_set_link_up(netif)
        }
        _ = input(frame: staticARP.reply)
    }

    private let removed = Mutex(false)

    /// Takes the netif out of lwIP (once; later calls do nothing), so that a second device in the same process
    /// does not share 192.168.100.2 with a dead one: lwIP would route replies through whichever it finds first.
    /// The memory stays allocated: a frame still in flight to `input` must not touch freed memory.
    public func remove() {
        guard !removed.withLock({ (done: inout Bool) -> Bool in
            defer { done = true }
            return done
        }) else { return }
        withLwIPCore {
            netif_set_link_down(netif)
            netif_set_down(netif)
            netif_remove(netif)
        }
    }

    public var counters: TunnelNetifCounters { countersBox.withLock { $0 } }

    /// Hands one received frame to lwIP (`netif->input`). Returns false when lwIP did not take it.
    @discardableResult
    public func input(frame: some Collection<UInt8>) -> Bool {
        let bytes = Array(frame)
        return bytes.withUnsafeBytes { input(frame: $0) }
    }

    @discardableResult
    public func input(frame: UnsafeRawBufferPointer) -> Bool {
        let length = frame.count
        guard length > 0, length <= Int(UInt16.max), let base = frame.baseAddress,
              let p = pbuf_alloc(PBUF_RAW, UInt16(length), LwIPStack.rxPbufType)
        else {
            countersBox.withLock { $0.rxDropped += 1 }
            return false
        }
        _ = pbuf_take(p, base, UInt16(length))
        let err = CLwIPShims_netifInput(netif, p)
        countersBox.withLock {
            if err == err_t(ERR_OK.rawValue) {
                $0.rxFrames += 1
                $0.rxBytes += length
            } else {
                $0.rxDropped += 1
            }
        }
        return err == err_t(ERR_OK.rawValue)
    }

    /// linkoutput: called by lwIP with the core lock held. Never frees `p` (lwIP owns it).
    fileprivate func linkOutput(_ p: UnsafeMutablePointer<pbuf>) -> err_t {
        var segments = 0
        let record: [UInt8]
        do {
            record = try RecordEncoder.record(frameLength: Int(p.pointee.tot_len), maxFrame: configuration.maxFrame) { frame in
                var offset = 0
                var segment: UnsafeMutablePointer<pbuf>? = p
                // Walk the chain as the firmware does: each q->payload of q->len bytes, in order.
                while let q = segment, offset < frame.count {
                    let length = min(Int(q.pointee.len), frame.count - offset)
                    if length > 0, let payload = q.pointee.payload {
                        (frame.baseAddress! + offset).copyMemory(from: payload, byteCount: length)
                    }
                    offset += length
                    segments += 1
                    segment = q.pointee.next
                }
            }
        } catch {
            countersBox.withLock { $0.txInvalidLength += 1 }
            return err_t(ERR_IF.rawValue)
        }
        let isGatewayRequest = record.withUnsafeBytes { buffer in
            GatewayARP.isRequest(UnsafeRawBufferPointer(rebasing: buffer[WireFormat.lengthPrefixSize...]),
                                 for: staticARP.gateway)
        }
        if isGatewayRequest {
            countersBox.withLock { $0.gatewayARPAnswered += 1 }
            _ = input(frame: staticARP.reply)
            return err_t(ERR_OK.rawValue)
        }
        countersBox.withLock {
            $0.txFrames += 1
            $0.txBytes += record.count
            if segments > 1 { $0.txChainedFrames += 1 }
        }
        output(record)
        return err_t(ERR_OK.rawValue)
    }

    fileprivate static func from(_ netif: UnsafeMutablePointer<netif>?) -> TunnelNetif? {
        guard let state = netif?.pointee.state else { return nil }
        return Unmanaged<TunnelNetif>.fromOpaque(state).takeUnretainedValue()
    }

    /// Fills the fields the firmware's init sets: MAC, MTU, flags, output/linkoutput.
    fileprivate func configure(_ netif: UnsafeMutablePointer<netif>) {
        let name = Array((configuration.name + "ut").utf8.prefix(2))
        netif.pointee.name = (CChar(bitPattern: name[0]), CChar(bitPattern: name[1]))
        netif.pointee.hwaddr_len = 6
        let mac = configuration.deviceMAC.bytes
        withUnsafeMutableBytes(of: &netif.pointee.hwaddr) { raw in
            for index in 0..<6 { raw[index] = mac[index] }
        }
        netif.pointee.mtu = configuration.mtu
        netif.pointee.flags = UInt8(NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_BROADCAST)
        netif.pointee.output = etharp_output
        netif.pointee.linkoutput = tunnelLinkOutput
    }
}

private func tunnelNetifInit(_ netif: UnsafeMutablePointer<netif>?) -> err_t {
    guard let netif, let tunnel = TunnelNetif.from(netif) else { return err_t(ERR_ARG.rawValue) }
    tunnel.configure(netif)
    return err_t(ERR_OK.rawValue)
}

private func tunnelLinkOutput(_ netif: UnsafeMutablePointer<netif>?, _ p: UnsafeMutablePointer<pbuf>?) -> err_t {
    guard let p, let tunnel = TunnelNetif.from(netif) else { return err_t(ERR_ARG.rawValue) }
    return tunnel.linkOutput(p)
}
