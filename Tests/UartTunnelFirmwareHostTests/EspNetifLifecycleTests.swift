import UartTunnelTestSupport
import Foundation
import Testing
@testable import UartTunnelChecks

/// esp_netif's life cycle, measured from firmware (`Fixtures/probes/esp_netif_probe.c`) against what ESP-IDF v5.4's
/// `components/esp_netif/lwip/esp_netif_lwip.c` and `esp_netif_handlers.c` do, function by function.
@Suite(.ownThreads) struct EspNetifLifecycleTests {
    /// "probe connected: up=1 default=A …" → ["up": "1", "default": "A", …]
    private func values(_ output: String, _ step: String) -> [String: String] {
        guard let line = output.split(separator: "\n").first(where: { $0.contains("probe \(step):") }) else { return [:] }
        var values: [String: String] = [:]
        for field in line.split(separator: " ") {
            let parts = field.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        return values
    }

    @Test func theProbeSeesESPIDF54sLifeCycle() throws {
        let device = try FirmwareDeviceProcess(["--driver", FirmwareDeviceProcess.fixture("probes/esp_netif_probe.c")])
        try #require(device.child.waitForOutput(containing: "probe done", timeout: .seconds(20)), "\(device.output)")
        let out = device.output

        // esp_netif_new_api: a zeroed struct netif whose state is the esp_netif; nothing added to lwIP, and the
        // base config's MAC is esp_netif's record only (hwaddr stays zero until esp_netif_set_mac).
        #expect(values(out, "new") == ["state_is_netif": "1", "input_null": "1", "output_null": "1",
                                       "linkoutput_null": "1", "hwaddr_last": "0", "mac_last": "10", "up": "0",
                                       "listed": "0", "flags": "0"], "\(out)")
        // esp_netif_new_api refuses a NULL config and a duplicate if_key (logging why) and returns NULL.
        #expect(values(out, "new_rejects") == ["null_config": "1", "duplicate_key": "1"])
        #expect(out.contains("Failed to configure netif with config="))

        // esp_netif_dhcpc_stop_api: INIT → STOPPED is ESP_OK, then ESP_ERR_ESP_NETIF_DHCP_ALREADY_STOPPED (0x5005);
        // esp_netif_set_ip_info_api on a netif that is down stores the address and posts nothing.
        #expect(values(out, "static") == ["stop1": "0", "stop2": "0x5005", "set": "0", "got_ip": "0"])

        // esp_netif_up_api (via esp_netif_action_connected) on a netif esp_netif_start never added: up, link up and
        // default (esp_netif_update_default_netif_lwip, STARTED) while not in netif_list; the handler posts
        // IP_EVENT_ETH_GOT_IP because the DHCP client flag is set and the client was stopped, ip_changed = the
        // address differs from the old one (zero).
        #expect(values(out, "connected") == ["up": "1", "link": "1", "listed": "0", "default": "A",
                                             "lwip_default": "A", "got_ip": "1", "changed": "1", "ip_last": "2"])

        // esp_netif_set_ip_info_api on an up netif with ESP_NETIF_FLAG_EVENT_IP_MODIFIED: GOT_IP each time, with
        // ip_changed false for the same address and true for a new one.
        #expect(values(out, "set_up") == ["got_ip_same": "2", "changed_same": "0", "got_ip_new": "3",
                                          "changed_new": "1", "ip_last": "3"])

        // A netif with the higher route_prio becomes default when it comes up; without ESP_NETIF_DHCP_CLIENT,
        // esp_netif_action_connected posts no GOT_IP. The registry is newest first (SLIST_INSERT_HEAD).
        #expect(values(out, "b_connected") == ["default": "B", "got_ip_delta": "0", "first": "B", "second": "A",
                                               "count": "2"])
        // esp_netif_down_api: lwIP's address cleared, down, and the next up netif by route_prio becomes default;
        // esp_netif_get_ip_info on a netif that is down returns the stored static address (.9), not lwIP's zero.
        #expect(values(out, "b_disconnected") == ["default": "A", "up": "0", "lwip_ip_zero": "1", "stored_last": "9"])
        // esp_netif_set_default_netif is sticky: B's higher priority no longer wins.
        #expect(values(out, "sticky") == ["default": "A", "lwip_default": "A"])
        // esp_netif_deinit once the stack runs: ESP_ERR_NOT_SUPPORTED (0x106); DNS: "any" is
        // ESP_ERR_ESP_NETIF_INVALID_PARAMS (0x5001), a real server round-trips; the ETH default route_prio is 50.
        #expect(values(out, "codes") == ["deinit": "0x106", "dns_any": "0x5001", "dns_set": "0", "dns_back_last": "1",
                                         "prio_a": "50"])
        // esp_netif_tcpip_exec runs the callback in the lwIP context and returns its result (ESP_ERR_NOT_FINISHED,
        // 0x10c); esp_netif_find_if returns the first netif the predicate accepts, or NULL.
        #expect(values(out, "walk") == ["exec": "0x10c", "up": "2", "find_b": "B", "find_none": "none"])
        #expect(!out.contains(" DEFECT "), "no false defects: \(out)")
    }
}
