import Foundation
import Testing
import UartTunnelTestSupport
@testable import UartTunnelChecks

/// Libraries ESP-IDF bundles as components, for C files given with `--driver` (projects get them from
/// idf-host's host_components.cmake): json is Debian's cJSON behind `#include "cJSON.h"`.
@Suite(.ownThreads) struct RuntimeBundledLibrariesTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/include/cjson/cJSON.h"),
                   "libcjson-dev is not installed"))
    func cJSONBuildsAndRunsFromADriverFile() throws {
        let device = try FirmwareDeviceProcess(["--driver", FirmwareDeviceProcess.fixture("runtime/json_probe.c")])
        defer { _ = device.child.terminate() }
        try #require(device.child.waitForOutput(containing: "probe parsed:", timeout: .seconds(60)), "\(device.output)")
        #expect(RuntimeFixtures.probe(device.output, "printed") == "{\"name\":\"ada\",\"boots\":3}")
        #expect(RuntimeFixtures.probe(device.output, "parsed") == "home 6")
    }
}
