import Testing
@testable import UartTunnelChecks

/// `WifiLog` reads the host layer's Wi-Fi log lines (wifi/wifi_core.c, wifi/radio.c, netif/esp_netif_handlers.c) into
/// timed events, and `spacing` says whether a firmware backs off between attempts.
struct WifiLogTests {
    static let output = """
        I (214) wifi: connecting to "lab ap, 2"
        I (1234) wifi: connected with lab ap, 2, aid = 1, channel 6, bssid = 02:4c:41:42:00:06
        I (2235) esp_netif_handlers: sta ip: 192.168.100.2, mask: 255.255.255.0, gw: 192.168.100.1
        I (2307) radio: lab ap, 2: AP off the air
        W (8307) wifi: beacon timeout: lab ap, 2 silent for 6000 ms, probing
        I (8907) wifi: disconnected from lab ap, 2, reason 200
        I (8908) forgetful: disconnected from elsewhere, reason 7
        uart-tunnel device ready: UART1 on 127.0.0.1:5556
        """

    @Test func linesBecomeTimedEvents() {
        let log = WifiLog(Self.output)
        #expect(log.lines == [
            .init(ms: 214, event: .connecting(ssid: "lab ap, 2")),
            .init(ms: 1234, event: .connected(ssid: "lab ap, 2")),
            .init(ms: 2235, event: .gotIP(address: "192.168.100.2")),
            .init(ms: 2307, event: .radio(ssid: "lab ap, 2", change: "AP off the air")),
            .init(ms: 8907, event: .disconnected(ssid: "lab ap, 2", reason: 200)),
        ])
        #expect(log.disconnects.map(\.reason) == [200])
    }

    @Test func spacingNamesBackOffOnlyWhenEveryGapGrows() {
        func attempts(_ times: [Int]) -> [WifiLog.Line] { times.map { .init(ms: $0, event: .connecting(ssid: "x")) } }
        #expect(WifiLog.spacing(attempts([0, 1000, 3000, 7000])) == "4 attempts, gaps 1.0 s, 2.0 s, 4.0 s (back-off)")
        #expect(WifiLog.spacing(attempts([0, 1400, 2830, 4260])) == "4 attempts, gaps 1.4 s, 1.4 s, 1.4 s (no back-off)")
        #expect(WifiLog.spacing(attempts([0, 1000])) == "2 attempts, gaps 1.0 s")
        #expect(WifiLog.spacing(attempts([5])) == "1 attempt")
    }
}
