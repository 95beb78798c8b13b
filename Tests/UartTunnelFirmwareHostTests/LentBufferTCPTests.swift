import Foundation
import Testing
import UartTunnelTestSupport
@testable import UartTunnelChecks

/// lwIP 2.1's tcp_input turns the TCP header's ports, sequence/acknowledgement numbers and window into host byte
/// order inside the received pbuf. A driver that lends its buffer (esp_netif_receive → ethernetif's PBUF_REF, as v5.4's
/// esp_pbuf_ref.c does) gets it back so changed by lwIP, not by itself: "rx-buffer-written-while-lent" must not be
/// named for TCP traffic (netif/ethernetif.c leaves those bytes out of its check). The kernel's curl makes the TCP.
@Suite(.ownThreads) struct LentBufferTCPTests {
    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "namespace tests skipped: \(NetworkNamespace.unavailableReason ?? "")"))
    func tcpThroughALendingDriverNamesNoDefect() throws {
        let tool = FirmwareDeviceProcess.tool
        let namespace = try NetworkNamespace(tag: "lenttcp")
        let device = try namespace.start([tool, "device", "--listen", "127.0.0.1:5556", "--status-port", "8080",
                                          "--driver", FirmwareDeviceProcess.fixture("eth_style/serial_eth.c"),
                                          "--driver", FirmwareDeviceProcess.fixture("eth_style/app_main.c")])
        defer { device.terminate() }
        _ = try FirmwareDeviceProcess.linkAddress(of: device)
        let bridge = try namespace.start([tool, "bridge", "--connect", "127.0.0.1:5556", "--ifname", "tun0"])
        defer { bridge.terminate() }
        var answered = false
        for _ in 0..<20 where !answered {
            answered = try namespace.run(["ping", "-c", "1", "-W", "1", "192.168.100.2"]).status == 0
        }
        try #require(answered, "\(device.output.suffix(1500))")
        // the second request's answer counts every frame of the first connection's handshake and request
        var status: [String: Any] = [:]
        for _ in 0..<2 {
            let curl = try namespace.run(["curl", "-sS", "-m", "10", "http://192.168.100.2:8080/api/status"])
            try #require(curl.status == 0, "\(curl.output)")
            status = try #require(try JSONSerialization.jsonObject(with: Data(curl.output.utf8)) as? [String: Any])
        }
        let lent = (status["rx"] as? [String: Any]).map { "\($0)" } ?? ""
        #expect((status["defects"] as? [String: Int]) == [:], "\(status["defects"] ?? "none") \(lent)")
        #expect(!device.output.contains("DEFECT rx-buffer-written-while-lent"), "\(device.output.suffix(1500))")
    }
}
