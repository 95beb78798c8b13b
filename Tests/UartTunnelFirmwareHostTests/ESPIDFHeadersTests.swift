import UartTunnelTestSupport
import Foundation
import Testing
import UartTunnelChecks

/// The ESP-IDF v5.4 header graph and small system APIs, seen from a firmware written as real drivers are
/// (`Fixtures/probes/headers_probe.c`: only the includes drivers have, relying on what those bring). Each
/// expectation is a line a user would see on the console, as ESP-IDF v5.4 prints it.
@Suite(.ownThreads) struct ESPIDFHeadersTests {
    /// Runs a probe firmware to its end (it restarts or aborts) and returns its exit status and log.
    private func run(_ fixture: String) throws -> (status: Int32, output: String) {
        // --max-restarts 0: its esp_restart ends the device instead of booting the probe again
        try ChildProcess.run([FirmwareDeviceProcess.tool, "device", "--listen", "127.0.0.1:0", "--status-port", "0",
                              "--max-restarts", "0", "--driver", FirmwareDeviceProcess.fixture(fixture)],
                             timeout: .seconds(60))
    }

    /// The text after "probe <name>: " on the firmware's "I (ms) probe: probe <name>: …" line.
    private func line(_ output: String, _ name: String) -> String? {
        let marker = " probe: probe \(name): "
        guard let found = output.split(separator: "\n").first(where: { $0.contains(marker) }),
              let range = found.range(of: marker) else { return nil }
        return String(found[range.upperBound...])
    }

    private func lines(_ output: String, tag: String = "probe") -> [String] {
        output.split(separator: "\n").map(String.init).filter { $0.contains(") \(tag): ") }
    }

    /// Strips "L (ms) " so a line compares without its timestamp.
    private func untimed(_ line: String) -> String {
        line.replacing(#/^[EWIDV] \(\d+\) /#, with: "")
    }

    @Test func aDriverStyleFirmwareCompilesOnTransitiveIncludesAndReportsV54() throws {
        let (status, output) = try run("probes/headers_probe.c")
        #expect(!output.contains("warning:"), "the probe builds warning-free under -Wall: \(output)")
        #expect(line(output, "version") == "5.4.0 val=0x050400 branch=v5.4 idf=v5.4-uart-tunnel-host", "\(output)")
        // esp_register_shutdown_handler refuses a handler twice (esp_system.c)
        #expect(line(output, "twice") == "ESP_ERR_INVALID_STATE", "\(output)")
        // esp_restart: shutdown handlers, "Restarting now.", then the device ends with its own status
        #expect(status == 3, "\(output)")
        #expect(output.contains("probe shutdown handler ran"))
        #expect(output.contains("esp_restart(): Restarting now. An ESP32 would reset (rst:0xc SW_CPU_RESET) and run "
                                + "app_main again; the host layer ends the device instead (exit status 3)"), "\(output)")
        #expect(!output.contains("tunnel listening on"), "the device ended inside app_main: \(output)")
    }

    /// mac_addr.c on an ESP32 with four universal MACs: STA = base, AP = base+1, BT = base+2, ETH = base+3,
    /// each derived once and then kept; the host's factory MAC is ESP-IDF's Linux-target one, 02:12:34:56:78:ab.
    @Test func macAddressesDeriveFromTheBaseMACAsOnAnESP32() throws {
        let (_, output) = try run("probes/headers_probe.c")
        #expect(line(output, "mac sta") == "02:12:34:56:78:ab ESP_OK", "\(output)")
        #expect(line(output, "mac ap") == "02:12:34:56:78:ac ESP_OK")
        #expect(line(output, "mac eth") == "02:12:34:56:78:ae ESP_OK")
        #expect(line(output, "mac base") == "02:12:34:56:78:ab ESP_OK")
        #expect(line(output, "mac factory") == "02:12:34:56:78:ab ESP_OK")
        #expect(line(output, "mac ieee802154") == "00:00:00:00:00:00 ESP_ERR_NOT_SUPPORTED")
        #expect(output.contains("E (") && output.contains(") system_api: 4 mac type is incorrect (not found)"))
        #expect(line(output, "custom") == "ESP_ERR_INVALID_VERSION")
        #expect(line(output, "multicast base") == "ESP_ERR_INVALID_ARG")
        #expect(output.contains(") system_api: Base MAC must be a unicast MAC"))
        // After esp_base_mac_addr_set: BT (never read) follows the new base, ETH (read before) keeps its MAC.
        #expect(line(output, "mac bt-after-set") == "24:0a:c4:12:34:58 ESP_OK", "\(output)")
        #expect(line(output, "mac eth-after-set") == "02:12:34:56:78:ae ESP_OK")
        #expect(line(output, "local") == "26:0a:c4:12:34:56")
    }

    /// esp_check.h logs "E (ms) tag: function(line): message" and returns the error (or sets ret and jumps).
    @Test func espCheckMacrosLogTheFunctionAndLineAndReturnTheError() throws {
        let (_, output) = try run("probes/headers_probe.c")
        let source = try String(contentsOfFile: FirmwareDeviceProcess.fixture("probes/headers_probe.c"), encoding: .utf8)
        func lineNumber(of text: String) -> Int {
            (source.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(text) } ?? -2) + 1
        }
        let probe = lines(output).map(untimed)
        #expect(output.contains(") system_api: mac address param is NULL"))
        #expect(probe.contains("probe: check_return(\(lineNumber(of: "ESP_RETURN_ON_ERROR("))): read mac failed: 7"),
                "\(probe)")
        #expect(line(output, "check return") == "ESP_ERR_INVALID_ARG")
        #expect(probe.contains("probe: check_goto(\(lineNumber(of: "ESP_GOTO_ON_FALSE("))): n=5 is too big"), "\(probe)")
        #expect(line(output, "goto") == "ret=ESP_ERR_INVALID_SIZE")
        #expect(probe.contains("probe: check_false(\(lineNumber(of: "ESP_RETURN_ON_FALSE("))): not ok"), "\(probe)")
        #expect(line(output, "check false") == "ESP_ERR_INVALID_STATE ok=ESP_OK")
        #expect(output.split(separator: "\n").contains { $0.hasPrefix("E (") && $0.contains(") probe: check_return(") })
    }

    /// esp_err_to_name(_r) with ESP-IDF's names, and ESP_ERROR_CHECK_WITHOUT_ABORT's report (esp_err.c).
    @Test func errorNamesAndTheWithoutAbortReport() throws {
        let (_, output) = try run("probes/headers_probe.c")
        #expect(line(output, "names") == "ESP_ERR_ESP_NETIF_INVALID_PARAMS | ESP_ERR_ESP_NETIF_TX_FAILED | "
                + "UNKNOWN ERROR 0x7777(30583)", "\(output)")
        #expect(output.contains(#/ESP_ERROR_CHECK_WITHOUT_ABORT failed: esp_err_t 0x107 \(ESP_ERR_TIMEOUT\) at 0x[0-9a-f]{8,}\n/#),
                "\(output)")
        #expect(output.contains("func: app_main\nexpression: ESP_ERR_TIMEOUT\n"))
        #expect(line(output, "without abort") == "0x107")
    }

    /// esp_log_buffer.h's three layouts (log_buffers.c), the early/DRAM forms, and a level filtered out.
    @Test func logBufferLayoutsAsESPIDFPrintsThem() throws {
        let (_, output) = try run("probes/headers_probe.c")
        let at = try #require(line(output, "buffer")?.split(separator: " ").first, "\(output)")
        let address = try #require(UInt(at.dropFirst(2), radix: 16))
        func hexAddress(_ value: UInt) -> String {
            let digits = String(value, radix: 16)
            return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
        }
        let probe = lines(output).map(untimed).filter { !$0.contains("probe: probe ") }
        let expected = [
            "probe: 54 68 65 20 77 61 79 20 74 6f 20 67 65 74 20 73",
            "probe: 00 01 ff 21",
            "probe: The way to get s",
            "probe: \(hexAddress(address))   54 68 65 20 77 61 79 20  74 6f 20 67 65 74 20 73  |The way to get s|",
            "probe: \(hexAddress(address + 16))   00 01 ff 21" + String(repeating: " ", count: 12 * 3 + 1)
                + "  |...!|",
        ]
        let start = try #require(probe.firstIndex(of: expected[0]), "\(probe)")
        #expect(Array(probe[start..<min(probe.count, start + expected.count)]) == expected, "\(probe)")
        #expect(!output.contains("probe: 54 68 65 20\n"), "ESP_LOG_BUFFER_HEX_LEVEL at DEBUG is below the level")
        #expect(output.contains(#/W \(\d+\) probe: probe early: 42\n/#), "\(output)")
        #expect(output.contains("\nE probe: probe dram: 43\n"), "\(output)")
    }

    @Test func containerofBitsFreeRTOSAndSystemFigures() throws {
        let (_, output) = try run("probes/headers_probe.c")
        #expect(line(output, "containerof") == "ok=1 magic=0xc0ffee", "\(output)")
        #expect(line(output, "bits") == "BIT0=0x1 BIT7=0x80 BIT31=0x80000000 BIT32=0x100000000 "
                + "BIT63=0x8000000000000000 BIT(5)=0x20 BIT64(40)=0x10000000000")
        #expect(line(output, "rtos") == "mutex=1")
        // ESP_RST_POWERON; the ESP32's heap (src/system/heap.c): all free again, its low point while the probe's
        // malloc(20) was held (20 bytes + multi_heap's 4-byte header)
        #expect(line(output, "system") == "reset=1 poweron=1 free=319976 min=\(319976 - 24)")
    }

    /// ESP_ERROR_CHECK on a failing call: ESP-IDF's report (esp_err.c _esp_error_check_failed), then abort —
    /// the device ends with a non-zero status and the line after it never runs.
    @Test func espErrorCheckAbortsWithESPIDFsReport() throws {
        let (status, output) = try run("probes/error_check_probe.c")
        let source = try String(contentsOfFile: FirmwareDeviceProcess.fixture("probes/error_check_probe.c"),
                                encoding: .utf8)
        let line = (source.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("ESP_ERROR_CHECK(") } ?? -2) + 1
        #expect(status != 0 && status != 3, "\(output)")
        #expect(output.contains(") system_api: Base MAC must be a unicast MAC"), "\(output)")
        #expect(output.contains(#/ESP_ERROR_CHECK failed: esp_err_t 0x102 \(ESP_ERR_INVALID_ARG\) at 0x[0-9a-f]{8,}\n/#),
                "\(output)")
        #expect(output.contains("file: \"\(FirmwareDeviceProcess.fixture("probes/error_check_probe.c"))\" line \(line)\n"
                                + "func: app_main\nexpression: esp_base_mac_addr_set(multicast)\n"), "\(output)")
        #expect(output.contains("the firmware aborted (an ESP32 would panic and reset here); ending the device"))
        #expect(!output.contains("Program crashed"), "no runtime crash dump on top of the firmware's report")
        #expect(!output.contains("not reached"))
    }
}
