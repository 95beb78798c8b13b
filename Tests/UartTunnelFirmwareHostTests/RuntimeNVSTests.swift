import Foundation
import Testing
import UartTunnelTestSupport
@testable import UartTunnelChecks

/// nvs_flash and nvs.h on the host, as ESP-IDF v5.4's components/nvs_flash answers them (nvs_api.cpp,
/// nvs_handle_simple.cpp, nvs_storage.cpp, nvs_page.cpp), seen from firmware (`Fixtures/runtime/nvs_probe.c`),
/// and the partition's file (`--nvs FILE`) across device runs.
@Suite(.ownThreads) struct RuntimeNVSTests {
    @Test func theAPIAnswersAsESPIDFDoes() throws {
        let device = try FirmwareDeviceProcess(["--driver", RuntimeFixtures.nvsProbe])
        defer { _ = device.child.terminate() }
        try #require(device.child.waitForOutput(containing: "probe deinit again:", timeout: .seconds(60)), "\(device.output)")
        func probe(_ name: String) -> String? { RuntimeFixtures.probe(device.output, name) }

        // open_handle: no partition before nvs_flash_init; init twice is fine (init_partition finds it)
        #expect(probe("open before init") == "ESP_ERR_NVS_NOT_INITIALIZED", "\(device.output)")
        #expect(probe("init") == "ESP_OK" && probe("init again") == "ESP_OK")
        // createOrOpenNamespace: read-only cannot create; a 16-character name fails Page::writeItem's key check
        #expect(probe("open read-only missing namespace") == "ESP_ERR_NVS_NOT_FOUND")
        #expect(probe("open namespace of 16") == "ESP_ERR_NVS_KEY_TOO_LONG")
        for type in ["i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "str", "blob"] {
            #expect(probe("set \(type)") == "ESP_OK", "\(type)")
        }
        #expect(probe("set key of 16") == "ESP_ERR_NVS_KEY_TOO_LONG")
        #expect(probe("set through read-only") == "ESP_ERR_NVS_READ_ONLY")   // NVSHandleSimple::set_typed_item
        #expect(probe("commit") == "ESP_OK")
        // every width round-trips its extremes, signed ones sign-extended
        #expect(probe("values") == "-5 250 -30000 65000 -2147483648 4294967295 -9223372036854775808 18446744073709551615")
        // nvs_get_str_or_blob: NULL buffer → length with the NUL; short buffer → INVALID_LENGTH and the length
        #expect(probe("str length query") == "ESP_OK" && probe("str length") == "12")
        #expect(probe("str one byte short") == "ESP_ERR_NVS_INVALID_LENGTH" && probe("short length after") == "12")
        #expect(probe("str value") == "[café \"net\"] 12")
        #expect(probe("blob value") == "4 0001feff")
        // readItem looks for the type asked; writeItem replaces the key whatever type it had
        #expect(probe("get u8 as u16") == "ESP_ERR_NVS_NOT_FOUND")
        #expect(probe("get missing") == "ESP_ERR_NVS_NOT_FOUND")
        #expect(probe("find blob") == "ESP_OK" && probe("blob type") == "0x42")
        #expect(probe("set u8 key as str") == "ESP_OK" && probe("get replaced u8") == "ESP_ERR_NVS_NOT_FOUND")
        #expect(probe("erase missing") == "ESP_ERR_NVS_NOT_FOUND" && probe("erase i8") == "ESP_OK")
        #expect(probe("get erased") == "ESP_ERR_NVS_NOT_FOUND")
        #expect(probe("erase through read-only") == "ESP_ERR_NVS_READ_ONLY")
        // 6 pages of 126 entries, one kept free: the namespace, 6 integers, two 2-entry strings, a 3-entry blob
        #expect(probe("stats") == "ESP_OK" && probe("stats figures") == "used=14 free=742 available=616 total=756 namespaces=1")
        #expect(probe("iterated") == "9 entries, end ESP_ERR_NVS_NOT_FOUND, iterator NULL")
        // a string is one chunk of at most 4000 bytes with its NUL; four 126-entry strings fill the partition
        #expect(probe("str of 4000") == "ESP_ERR_NVS_VALUE_TOO_LONG" && probe("str of 3999") == "ESP_OK")
        #expect(probe("full after 3 more") == "ESP_ERR_NVS_NOT_ENOUGH_SPACE", "\(device.output)")
        #expect(probe("erase all through read-only") == "ESP_ERR_NVS_READ_ONLY" && probe("erase all") == "ESP_OK")
        // deinit closes every handle (close_handles_and_deinit); a second deinit finds no partition
        #expect(probe("deinit") == "ESP_OK" && probe("commit after deinit") == "ESP_ERR_NVS_INVALID_HANDLE")
        #expect(probe("deinit again") == "ESP_ERR_NVS_NOT_INITIALIZED")
    }

    /// `--nvs FILE`: what one run stores, the next run reads; the file is text a user can read and edit.
    @Test func theFileKeepsValuesAcrossRunsAndIsReadable() throws {
        let scratch = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let file = scratch + "/nvs.txt"
        for run in 1...2 {
            let device = try FirmwareDeviceProcess(["--driver", RuntimeFixtures.bootCounter], extra: ["--nvs", file])
            try #require(device.child.waitForOutput(containing: "boot: boot \(run) reason", timeout: .seconds(60)),
                         "\(device.output)")
            // a new device process is a power-on, not a software reset
            #expect(device.output.contains("boot: boot \(run) reason ESP_RST_POWERON"), "\(device.output)")
            #expect(device.output.contains("stored count: \(run == 1 ? "ESP_ERR_NVS_NOT_FOUND" : "ESP_OK")"))
            _ = device.child.terminate()
        }
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("\nnamespace \"boot\"\n") && text.contains("\nu32 \"boot\" \"count\" 2\n"), "\(text)")

        // An edit by hand is what the firmware reads next
        try text.replacingOccurrences(of: "\"count\" 2", with: "\"count\" 41").write(toFile: file, atomically: true,
                                                                                     encoding: .utf8)
        let edited = try FirmwareDeviceProcess(["--driver", RuntimeFixtures.bootCounter], extra: ["--nvs", file])
        defer { _ = edited.child.terminate() }
        #expect(edited.child.waitForOutput(containing: "boot: boot 42 reason", timeout: .seconds(60)), "\(edited.output)")
    }

    /// A file nvs_flash_init cannot read is a partition the chip cannot read: ESP_ERR_NVS_NO_FREE_PAGES with the
    /// line named; the firmware's usual erase-and-retry then starts it empty.
    @Test func aBrokenFileIsNamedAndTheFirmwareMayEraseIt() throws {
        let scratch = try RuntimeFixtures.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let file = scratch + "/nvs.txt"
        try "namespace \"boot\"\nu32 \"boot\" \"count\" -1\n".write(toFile: file, atomically: true, encoding: .utf8)
        let device = try FirmwareDeviceProcess(["--driver", RuntimeFixtures.bootCounter], extra: ["--nvs", file])
        defer { _ = device.child.terminate() }
        #expect(device.child.waitForOutput(containing: "boot: boot 1 reason", timeout: .seconds(60)), "\(device.output)")
        #expect(device.output.contains("cannot read the NVS partition: \(file):2: integer missing or out of range for its type"),
                "\(device.output)")
        #expect(device.output.contains("stored count: ESP_ERR_NVS_NOT_FOUND"))
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("u32 \"boot\" \"count\" 1\n"))
    }
}
