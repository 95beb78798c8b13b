import CEspIdfHost
import Logging
import Synchronization
import UartTunnelDevice
import UartTunnelLink
import UartTunnelSystem
import UartTunnelWire

/// The soft-AP's radio (`uart-tunnel device … --ap-listen HOST:PORT`): a second link, with the UART link's record
/// format, `--max-frame` and partial-frame timeout, whose peer is a station of the firmware's AP. A `uart-tunnel
/// bridge --ifname tun1 --address 192.168.4.2/24` there puts the kernel on the AP's side (192.168.4.1/24, ESP-IDF's
/// default soft-AP address: v5.4 esp_netif_defaults.c, _g_esp_netif_soft_ap_ip), while UART1's bridge stays on the
/// station's side.
///
/// ```
///  peer ──records──▶ TCPServerLink ──▶ RecordDecoder ──frames──▶ CEspIdfHost_wifiApReceive ─▶ AP netif (lwIP)
///  peer ◀──records── TCPServerLink.send ◀── CEspIdfHost_setApTxCallback ◀── AP netif's driver (wifi_softap.c)
/// ```
///
/// The host layer (src/wifi/wifi_softap.c) decides what passes: a peer is a station in range, associated with its
/// first frame (WIFI_EVENT_AP_STACONNECTED), and frames both ways are dropped and counted while the soft-AP is not
/// started. Across esp_restart the listener and the peer are kept like UART1's (the peer then joins the new AP).
final class SoftAPLink: ByteStreamReceiver, @unchecked Sendable {
    let link: TCPServerLink
    private let logger: Logger
    private let decoder: Mutex<RecordDecoder>

    init(endpoint: LinkEndpoint, frameTimeout: Duration, maxFrame: Int, logger: Logger) throws(SystemError) {
        switch endpoint {
        case .tcp(let address):
            link = try DeviceRestart.link(listenOn: address, logger: logger, name: "ap-link")
        case .unix(let path):
            link = try TCPServerLink(source: UnixListenSource(path: path), logger: logger)
        }
        link.threadName = "ap-link"
        self.logger = logger
        decoder = Mutex(RecordDecoder(timeout: frameTimeout, maxFrame: maxFrame))
        let box = Unmanaged.passRetained(SendBox(link)).toOpaque()   // lives as long as the process's firmware
        CEspIdfHost_setApTxCallback(softAPTransmit, box)
    }

    func start() {
        link.start(delivering: self)
        logger.info("Wi-Fi soft-AP link listening on \(link.source.endpoint) (its peer is a station of the AP)")
    }

    func stop() {
        CEspIdfHost_setApTxCallback(nil, nil)
        link.stop()
        (link.source as? UnixListenSource)?.removeFile()
    }

    // MARK: ByteStreamReceiver, on the link's reader thread

    func linkConnected(peer: String) {
        CEspIdfHost_wifiApPeer(1)
    }

    func linkReceived(_ bytes: UnsafeRawBufferPointer, at time: ContinuousClock.Instant) {
        decoder.withLock { decoder in
            decoder.feed(bytes, now: time) { event in
                if case .frame(let frame) = event {
                    frame.withUnsafeBufferPointer { CEspIdfHost_wifiApReceive($0.baseAddress, $0.count) }
                } else {
                    logger.debug("soft-AP link: \(event)")
                }
            }
        }
    }

    func linkIdle(at time: ContinuousClock.Instant) {
        decoder.withLock { decoder in decoder.expire(now: time) { logger.debug("soft-AP link: \($0)") } }
    }

    func linkDisconnected(reason: String) {
        decoder.withLock { decoder in decoder.reset { logger.debug("soft-AP link: \($0)") } }
        CEspIdfHost_wifiApPeer(0)
    }

    var nextDeadline: ContinuousClock.Instant? { decoder.withLock { $0.deadline } }
}

private final class SendBox: Sendable {
    let link: TCPServerLink
    init(_ link: TCPServerLink) { self.link = link }
}

/// The AP netif's record, on the sending thread (tcpip_thread, usually): one write per record, never waiting.
private func softAPTransmit(_ context: UnsafeMutableRawPointer?, _ bytes: UnsafePointer<UInt8>?, _ count: Int) {
    guard let context, let bytes, count > 0 else { return }
    let box = Unmanaged<SendBox>.fromOpaque(context).takeUnretainedValue()
    box.link.send(Array(UnsafeBufferPointer(start: bytes, count: count)))
}
