import ArgumentParser
import UartTunnelFirmwareHost
import UartTunnelLink
import UartTunnelSystem

/// `--nvs`, `--console`, `--max-restarts`, `--ap-listen`: what lives around a C firmware's chip and outlives its
/// resets.
///
/// ```
/// uart-tunnel device --project app --console 127.0.0.1:5555   # then: nc 127.0.0.1 5555
/// uart-tunnel device --driver app.c --nvs app-nvs.txt --max-restarts 3
/// uart-tunnel device --project app --radio radio.json --ap-listen 127.0.0.1:5560   # AP + STA: two links
/// ```
struct FirmwareRuntimeOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "C drivers: the NVS partition's file, a text file you can read and edit (kept across runs).",
        discussion: """
            Every nvs_set_*/nvs_erase_* rewrites it atomically, as flash is written when the call returns. \
            Default for --project: BUILD_DIR/nvs.txt; for --driver: a partition in memory that survives \
            esp_restart but not the device (an erased partition each run).
            """, valueName: "file"))
    var nvs: String?

    @Option(help: ArgumentHelp(
        "C drivers: serve the firmware's UART0 (ESP_LOG lines and printf output) on HOST:PORT, like QEMU's -serial tcp::5555.",
        discussion: """
            Loopback unless you name another address. Any number of clients up to 8 (`nc 127.0.0.1 5555`); a late \
            one first gets the last 16 KiB; a client that does not read loses output, the firmware never waits.
            """, valueName: "host:port"))
    var console: String?

    @Option(help: ArgumentHelp(
        "C drivers: esp_restart() restarts the firmware at most N times; the next one ends the device (exit status 3).",
        discussion: """
            esp_restart() resets the chip: the device process starts again from app_main with NVS, the UART's TCP \
            peer and the console kept, "rst:0xc (SW_CPU_RESET)" printed and esp_reset_reason() = ESP_RST_SW. \
            Without this option there is no limit (a firmware that always restarts boot-loops, as a chip would).
            """, valueName: "n"))
    var maxRestarts: Int?

    @Option(help: ArgumentHelp(
        "C drivers: the Wi-Fi soft-AP's radio, a second link on HOST:PORT (e.g. 127.0.0.1:5560) or unix:PATH.",
        discussion: """
            A firmware's soft-AP netif (esp_netif_create_default_wifi_ap: 192.168.4.1/24) sends and receives its \
            frames here, in UART1's record format and --max-frame; its peer is a station of the AP: bridge it to a \
            second interface, `uart-tunnel bridge --connect 127.0.0.1:5560 --ifname tun1 --address 192.168.4.2/24 \
            --mac 02:00:00:00:00:03`. The station associates with its first frame (WIFI_EVENT_AP_STACONNECTED, its \
            MAC that frame's source: the bridge's --mac) and leaves when the peer does (AP_STADISCONNECTED); as the \
            host has no DHCP server, IP_EVENT_AP_STAIPASSIGNED is posted when its first ARP or IPv4 frame from the \
            AP's subnet shows its address. One link is one station at a time. While the soft-AP is not started \
            (esp_wifi_start in AP or APSTA mode) frames both ways are dropped and counted. lwIP does not forward \
            between the AP's and the station's side unless the project sets CONFIG_LWIP_IP_FORWARD, as on \
            ESP-IDF. Loopback unless --listen-any; 5555-5558 are the console's, UART1's, the tap's and the \
            radio control's defaults.
            """, valueName: "host:port"))
    var apListen: String?

    func validate() throws {
        if let maxRestarts, maxRestarts < 0 { throw ValidationError("--max-restarts must be 0 or more") }
        _ = try consoleAddress()
        if let nvs, nvs.isEmpty { throw ValidationError("--nvs needs a file name") }
    }

    private func consoleAddress() throws -> SocketAddress? {
        guard let console else { return nil }
        do {
            return try SocketAddress(parsing: console)
        } catch {
            throw ValidationError("--console \(console): \(error)")
        }
    }

    var isSet: Bool { nvs != nil || console != nil || maxRestarts != nil || apListen != nil }

    /// The runtime for a firmware driver; `buildDirectory` (a project's) holds the default NVS file.
    func runtime(buildDirectory: String?) throws -> FirmwareRuntime {
        FirmwareRuntime(nvsPath: nvs ?? buildDirectory.map { $0 + "/nvs.txt" }, console: try consoleAddress(),
                        maxRestarts: maxRestarts, apListen: try apListen.map { try LinkEndpoint(parsing: $0) })
    }

    var deviceArguments: [String] {
        (nvs.map { ["--nvs", $0] } ?? []) + (console.map { ["--console", $0] } ?? [])
            + (maxRestarts.map { ["--max-restarts", "\($0)"] } ?? []) + (apListen.map { ["--ap-listen", $0] } ?? [])
    }
}
