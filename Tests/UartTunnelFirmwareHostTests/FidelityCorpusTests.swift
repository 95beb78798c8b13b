import UartTunnelTestSupport
import Foundation
import Testing
@testable import UartTunnelChecks
import UartTunnelWire

/// The fidelity corpus (`Fixtures/corpus`): clean-room drivers, each in the style of one family of public ESP-IDF
/// network code, run unmodified on the host layer. Each test asserts what ESP-IDF v5.4 does with that code — read
/// from espressif/esp-idf tag v5.4, `components/esp_netif/lwip/esp_netif_lwip.c`, `esp_netif_handlers.c`,
/// `lwip/netif/ethernetif.c` and `esp_pbuf_ref.c` — and names the function that decides it.
///
/// Waits are bounded and causal: a driver that must not get an event posts a probe event of its own after the calls
/// that could have posted it; ESP-IDF's default loop delivers in posting order, so once the probe's line is logged,
/// any earlier event would have been logged before it.
@Suite(.ownThreads) struct FidelityCorpusTests {
    static func corpus(_ path: String) -> String { FirmwareDeviceProcess.fixture("corpus/" + path) }

    /// `--driver` arguments for files of one corpus directory.
    static func drivers(_ directory: String, _ files: String...) -> [String] {
        files.flatMap { ["--driver", corpus(directory + "/" + $0)] }
    }

    private func waitFor(_ device: FirmwareDeviceProcess, _ text: String, timeout: Duration = .seconds(10)) throws {
        try #require(device.child.waitForOutput(containing: text, timeout: timeout),
                     "no \"\(text)\" in the device's log:\n\(device.output.suffix(3000))")
    }

    /// A 56-byte ping answered with device MAC → host MAC and 192.168.100.2 → 192.168.100.1.
    private func expectPingAnswered(_ peer: DevicePeer, _ device: FirmwareDeviceProcess, sequence: UInt16) throws {
        let reply = try peer.ping(identifier: 0xF1DE, sequence: sequence)
        guard let reply, let ethernet = EthernetFrame(reply), let ip = IPv4Packet(ethernet.payload) else {
            Issue.record("no echo reply to ping \(sequence) within 5 s\n\(device.output.suffix(3000))")
            return
        }
        #expect(ethernet.source == .device && ethernet.destination == .host, "\(ethernet.source) > \(ethernet.destination)")
        #expect(ip.source == .device && ip.destination == .gateway, "\(ip.source) > \(ip.destination)")
    }

    /// A 1514-byte echo request (1472 bytes of ICMP data) answered with a 1514-byte reply.
    private func expectFullSizePingAnswered(_ peer: DevicePeer, _ device: FirmwareDeviceProcess, sequence: UInt16) throws {
        let payload = (0..<1472).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try peer.send(frame: PacketBuilder.icmpEchoRequest(identifier: 0xF1DF, sequence: sequence, payload: payload))
        let reply = try peer.receiveFrame(within: .seconds(5)) {
            DevicePeer.isEchoReply($0, identifier: 0xF1DF, sequence: sequence)
        }
        #expect(reply?.count == 1514, "full-size reply: \(reply?.count ?? 0) bytes\n\(device.output.suffix(3000))")
        if let reply {
            #expect(Array(reply.suffix(1472)) == payload, "echo data differs")
        }
    }

    /// "who-has 192.168.100.2" answered with "192.168.100.2 is-at 02:00:00:00:00:02": the lwIP netif's hwaddr.
    private func expectARPReply(_ peer: DevicePeer, _ device: FirmwareDeviceProcess) throws {
        try peer.send(frame: PacketBuilder.arpRequest(targetIP: .device))
        let reply = try peer.receiveFrame(within: .seconds(5)) { frame in
            EthernetFrame(frame).flatMap { ARPPacket($0.payload) }?.operation == ARPPacket.reply
        }
        let expected = PacketBuilder.arpReply(senderMAC: .device, senderIP: .device, targetMAC: .host, targetIP: .gateway)
        #expect(reply == expected, "ARP reply \(reply.map { describe(frame: $0) } ?? "missing")\n\(device.output.suffix(3000))")
    }

    private func expectNoDefects(_ device: FirmwareDeviceProcess) {
        #expect(device.defectLines.isEmpty, "false defects: \(device.defectLines)")
    }

    // MARK: - 1. The seed's initialization sequence

    /// The seed's sequence (`esp_netif_new` with `ESP_NETIF_INHERENT_DEFAULT_ETH()`, `esp_netif_dhcpc_stop` +
    /// `esp_netif_set_ip_info`, direct lwIP set-up, `esp_netif_action_connected`, no `esp_netif_action_start`)
    /// works on ESP-IDF v5.4:
    /// - `esp_netif_dhcpc_stop_api`: a client still in `ESP_NETIF_DHCP_INIT` goes to STOPPED and returns `ESP_OK`.
    /// - `esp_netif_action_connected` → `esp_netif_up_api`: `netif_set_addr`, `netif_set_up`, `netif_set_link_up`
    ///   and `esp_netif_update_default_netif_lwip(ESP_NETIF_STARTED)` on a netif that was never `netif_add`ed.
    /// - lwIP `ip4_route` finds no netif in `netif_list` and falls back to that up default netif, so
    ///   `etharp_add_static_entry` for the gateway returns `ERR_OK`.
    /// - `esp_netif_action_connected`, `ESP_NETIF_DHCP_CLIENT` set and the client STOPPED with a valid static address:
    ///   posts `IP_EVENT_ETH_GOT_IP` with `ip_changed` true (the old address, from `esp_netif_init_configuration`
    ///   with no `ip_info`, is 0.0.0.0).
    /// It must answer ping and pass the device suite's checks (as `FirmwareDeviceSuiteTests` runs them).
    @Test func seedSequenceAnswersPingAndPassesTheDeviceSuite() throws {
        let device = try FirmwareDeviceProcess(Self.drivers("seed_sequence", "netif_uart_tunnel.c", "app_main.c"))
        #expect(device.output.contains("uart_tunnel: esp_netif_dhcpc_stop: ESP_OK"), "\(device.output.suffix(3000))")
        #expect(device.output.contains("uart_tunnel: static ARP entry for the gateway: 0 (ERR_OK)"),
                "\(device.output.suffix(3000))")
        #expect(device.output.contains("uart_tunnel: lwIP netif: up+link yes, default yes"))
        try waitFor(device, "IP_EVENT_ETH_GOT_IP: ip 192.168.100.2 mask 255.255.255.0 gw 192.168.100.1 ip_changed=1")

        do {
            let peer = try DevicePeer(connectingTo: device.address)
            try expectPingAnswered(peer, device, sequence: 1)
            #expect(!peer.seen.contains(where: DeviceSuite.isGatewayARPRequest), "the static entry was not used")
        }

        let report = CheckReport()
        DeviceSuite(address: device.address).run(into: report)
        for result in report.results {
            #expect(result.outcome == .pass, "\(result.name): \(result.reason)\n\(device.output.suffix(2000))")
        }
        #expect(report.results.count == 15)  // 12 + two truncated frames + sustained pings
        expectNoDefects(device)
        #expect(device.child.terminate() == 0)
    }

    // MARK: - 2. tapif_io style

    /// A driver object starting with `esp_netif_driver_base_t` whose post_attach calls `esp_netif_set_driver_config`,
    /// on `ESP_NETIF_NETSTACK_DEFAULT_ETH`, with `esp_netif_set_mac`, then start and connected. ESP-IDF v5.4:
    /// - `esp_netif_attach` stores the handle and runs post_attach; `esp_netif_set_driver_config` sets transmit and
    ///   `driver_free_rx_buffer`, so `esp_netif_config_sanity_check` passes in `esp_netif_start_api`.
    /// - `esp_netif_set_mac_api` writes the lwIP hwaddr; `ethernetif_init` leaves it, so ARP answers with it.
    /// - `ethernetif_input` lends the heap buffer as a `PBUF_REF` (`esp_pbuf_allocate`) freed through
    ///   `driver_free_rx_buffer`; `ethernet_low_level_output` → `esp_netif_transmit` sends replies.
    /// - No GOT_IP: `esp_netif_action_connected` returns after `esp_netif_up` without `ESP_NETIF_DHCP_CLIENT`, and
    ///   `esp_netif_set_ip_info` is never called.
    @Test func tapifIoStyleAnswersPing() throws {
        let device = try FirmwareDeviceProcess(Self.drivers("tapif_io_style", "uart_io.c", "app_main.c"))
        try waitFor(device, "uart_io_connect: probe event delivered")
        #expect(device.output.contains("uart_io_connect: static ARP entry for the gateway: 0"))
        #expect(device.output.contains("uart_io_connect: uart-io up, default netif yes"))
        #expect(!device.output.contains("IP_EVENT"), "v5.4 posts no IP event here\n\(device.output.suffix(3000))")

        let peer = try DevicePeer(connectingTo: device.address)
        try expectARPReply(peer, device)
        try expectPingAnswered(peer, device, sequence: 1)
        try expectFullSizePingAnswered(peer, device, sequence: 2)
        try expectPingAnswered(peer, device, sequence: 3)
        #expect(!peer.seen.contains(where: DeviceSuite.isGatewayARPRequest))
        expectNoDefects(device)
        #expect(device.child.terminate() == 0)
    }

    // MARK: - 3. usb_ncm_iface.c style

    /// A static wired netif as `sta2eth/usb_ncm_iface.c` builds one: hand-written inherent config with
    /// `ESP_NETIF_FLAG_AUTOUP`, the address in `ip_info`, `route_prio` 10; driver config with handle `(void *)1`,
    /// static transmit and `l2_free`; stack config `ethernetif_init` / `ethernetif_input`; `esp_netif_set_mac`;
    /// `esp_netif_action_start` and nothing else. ESP-IDF v5.4:
    /// - `esp_netif_start_api`: the sanity check passes (handle non-NULL), `esp_netif_lwip_add` runs `netif_add` with
    ///   the `ip_info` address; `ESP_NETIF_FLAG_AUTOUP` → `netif_set_up` + `netif_set_link_up`; then
    ///   `esp_netif_update_default_netif_lwip(ESP_NETIF_STARTED)` makes it the default (it is up, none ranks higher).
    /// - No IP event at all: no DHCP flags, no `esp_netif_action_connected`, no `esp_netif_set_ip_info`.
    /// - RX: the callback's heap copy goes through `ethernetif_input` (zero copy) and back through `l2_free`.
    @Test func usbNcmStyleComesUpOnStartAlone() throws {
        let device = try FirmwareDeviceProcess(Self.drivers("usb_ncm_style", "uart_net.c", "uart_ncm_iface.c",
                                                            "app_main.c"))
        try waitFor(device, "wired_app: probe event delivered")
        #expect(device.output.contains("wired_app: wired netif up: yes, default netif: wired"),
                "\(device.output.suffix(3000))")
        #expect(device.output.contains("wired_app: static ARP entry for the gateway: 0"))
        #expect(!device.output.contains("IP_EVENT"), "v5.4 posts no IP event here\n\(device.output.suffix(3000))")

        let peer = try DevicePeer(connectingTo: device.address)
        try expectARPReply(peer, device)
        try expectPingAnswered(peer, device, sequence: 1)
        try expectFullSizePingAnswered(peer, device, sequence: 2)
        expectNoDefects(device)
        #expect(device.child.terminate() == 0)
    }

    // MARK: - 4. UART event queue style

    /// An RX task that blocks on the UART driver's event queue (`uart_driver_install` with a queue), reads
    /// `event.size` bytes on `UART_DATA` and reassembles records; `UART_FIFO_OVF` / `UART_BUFFER_FULL` flush the
    /// input and `xQueueReset` the queue, as ESP-IDF's uart_events example does. Netif as in the tapif_io style
    /// (`ESP_NETIF_FLAG_AUTOUP`, start, connected): `esp_netif_start_api` brings it up, `ethernetif_input` lends
    /// each heap frame. A burst of records in one write must come apart into every one of its frames.
    @Test func uartEventsStyleAnswersPing() throws {
        let device = try FirmwareDeviceProcess(Self.drivers("uart_events_style", "uart_evt_netif.c", "app_main.c"))
        try waitFor(device, "uart_evt_app: static ARP entry for the gateway: 0")
        let peer = try DevicePeer(connectingTo: device.address)
        try expectPingAnswered(peer, device, sequence: 1)
        try expectFullSizePingAnswered(peer, device, sequence: 2)

        // Ten requests in one write: UART_DATA events cut the bytes wherever they like; all ten are answered.
        var burst: [UInt8] = []
        for sequence in 10..<20 {
            burst += try RecordEncoder.encode(PacketBuilder.icmpEchoRequest(identifier: 0xF1E0, sequence: UInt16(sequence)))
        }
        try peer.send(raw: burst)
        var answered = Set<UInt16>()
        let deadline = ContinuousClock.now + .seconds(10)
        while answered.count < 10, ContinuousClock.now < deadline {
            guard let reply = try peer.receiveFrame(within: deadline - .now, matching: { frame in
                (10..<20).contains { DevicePeer.isEchoReply(frame, identifier: 0xF1E0, sequence: UInt16($0)) }
            }) else { break }
            if let echo = EthernetFrame(reply).flatMap({ IPv4Packet($0.payload) }).flatMap({ ICMPEcho($0.payload) }) {
                answered.insert(echo.sequence)
            }
        }
        #expect(answered == Set(10..<20), "answered \(answered.sorted())\n\(device.output.suffix(3000))")
        #expect(!device.output.contains("ring buffer full") && !device.output.contains("hw fifo overflow"))
        expectNoDefects(device)
        #expect(device.child.terminate() == 0)
    }

    // MARK: - 5. eppp_link style

    /// eppp-style connect that sets the static address before start and then blocks on its event group for
    /// `IP_EVENT_PPP_GOT_IP`. ESP-IDF v5.4 never posts it, so the flow waits forever while the link works:
    /// - `esp_netif_set_ip_info_api` before start: the lwIP netif is not up, so it only stores the address (the event
    ///   needs `netif_is_up` and `ESP_NETIF_FLAG_EVENT_IP_MODIFIED`).
    /// - `esp_netif_start_api` without `ESP_NETIF_FLAG_AUTOUP` adds the netif but leaves it down.
    /// - `esp_netif_action_connected`: `esp_netif_up` brings it up, then it returns early — no
    ///   `ESP_NETIF_DHCP_CLIENT` flag, so no static-IP GOT_IP.
    @Test func epppStyleWaitsForeverForGotIP() throws {
        let device = try FirmwareDeviceProcess(Self.drivers("eppp_style", "eppp_uart_transport.c", "eppp_style_link.c")
            + ["-I", Self.corpus("eppp_style/waits")])
        try waitFor(device, "eppp_style: Waiting for IP address")
        try waitFor(device, "eppp_style: probe event delivered")
        #expect(device.output.contains("eppp_style: static ARP entry for the gateway: 0"))

        let peer = try DevicePeer(connectingTo: device.address)
        try expectPingAnswered(peer, device, sequence: 1)
        try expectPingAnswered(peer, device, sequence: 2)
        // The probe was posted after start and connected and has been delivered: no GOT_IP was posted before it,
        // and nothing the link did since posts one.
        #expect(!device.output.contains("IP_EVENT"), "\(device.output.suffix(3000))")
        #expect(!device.output.contains("Connected!"), "\(device.output.suffix(3000))")
        #expect(device.child.isRunning, "still blocked in app_main, not crashed")
        // as on a chip, the link works from uart_driver_install on, not only once app_main returns
        #expect(!device.output.contains("starting the link anyway"), "\(device.output.suffix(3000))")
        expectNoDefects(device)
        #expect(device.child.terminate() == 0)
    }

    /// The same flow with eppp's TUN-path confirmation: the address comes from the inherent config's `ip_info`, and
    /// once the peer's first frame arrives the transport re-applies it with `esp_netif_get_ip_info` +
    /// `esp_netif_set_ip_info`. ESP-IDF v5.4:
    /// - start + connected post nothing (no `ESP_NETIF_DHCP_CLIENT`, see above): the probe comes first.
    /// - `esp_netif_set_ip_info_api` on an up netif with `ESP_NETIF_FLAG_EVENT_IP_MODIFIED` posts the netif's
    ///   `get_ip_event` (`IP_EVENT_PPP_GOT_IP`) with the new `ip_info` and `ip_changed` = memcmp with `ip_info_old`,
    ///   which `esp_netif_init_configuration` copied from the same `ip_info`: false.
    @Test func epppStyleGetsGotIPWhenTheAddressIsReapplied() throws {
        let device = try FirmwareDeviceProcess(Self.drivers("eppp_style", "eppp_uart_transport.c", "eppp_style_link.c")
            + ["-I", Self.corpus("eppp_style/confirms")])
        try waitFor(device, "eppp_style: Waiting for IP address")
        try waitFor(device, "eppp_style: probe event delivered")
        #expect(!device.output.contains("IP_EVENT"), "no GOT_IP before the link check\n\(device.output.suffix(3000))")

        let peer = try DevicePeer(connectingTo: device.address)
        try expectPingAnswered(peer, device, sequence: 1)
        try waitFor(device, "eppp_style: Connected!", timeout: .seconds(5))
        #expect(device.output.contains("eppp_style: link check: first frame from the peer -> post IP"))
        #expect(device.output.contains(
            "eppp_style: IP_EVENT_PPP_GOT_IP: \"pppos_client\" ip 192.168.100.2 mask 255.255.255.0 gw 192.168.100.1 ip_changed=0"),
                "\(device.output.suffix(3000))")
        #expect(device.output.components(separatedBy: "IP_EVENT_PPP_GOT_IP:").count == 2, "exactly one GOT_IP")
        try expectPingAnswered(peer, device, sequence: 2)
        expectNoDefects(device)
        #expect(device.child.terminate() == 0)
    }

    // MARK: - Would crash on ESP-IDF

    /// `esp_netif_action_start` before `esp_netif_attach` on an `ESP_NETIF_DEFAULT_ETH()` netif (no driver config):
    /// ESP-IDF v5.4's `esp_netif_start_api` runs `ESP_ERROR_CHECK(esp_netif_config_sanity_check(esp_netif))`; the
    /// check logs "Cannot start esp_netif: Missing mandatory configuration" (driver_transmit and driver_handle NULL)
    /// and returns `ESP_ERR_INVALID_STATE`, and `ESP_ERROR_CHECK` aborts the chip. The host must abort too, say so in
    /// ESP-IDF's words and by the defect's name (`esp-netif-start-incomplete`), and never run the code after the start.
    @Test func startingBeforeAttachAbortsAsOnTheChip() throws {
        let child = try ChildProcess([FirmwareDeviceProcess.tool, "device", "--listen", "127.0.0.1:0", "--status-port", "0"]
            + Self.drivers("start_before_attach", "app_main.c")
            + ["--driver", Self.corpus("tapif_io_style/uart_io.c"), "-I", Self.corpus("tapif_io_style")])
        let status = child.wait(timeout: .seconds(60))
        let output = child.output
        try #require(status != nil, "the device is still running:\n\(output.suffix(3000))")
        #expect(status != 0, "exit status \(status ?? 0)")
        #expect(output.contains("start_before_attach: starting the netif before attaching the driver"), "\(output.suffix(3000))")
        #expect(output.contains("Cannot start esp_netif: Missing mandatory configuration"), "\(output.suffix(3000))")
        #expect(output.contains("ESP_ERROR_CHECK failed: esp_err_t 0x103 (ESP_ERR_INVALID_STATE)"), "\(output.suffix(3000))")
        #expect(output.contains("expression: esp_netif_config_sanity_check("), "\(output.suffix(3000))")
        // The host names the defect before it aborts.
        #expect(output.contains("esp-netif-start-incomplete"), "\(output.suffix(3000))")
        #expect(!output.contains("start_before_attach: netif started"))
        #expect(!output.contains("tunnel listening on"))
    }
}
