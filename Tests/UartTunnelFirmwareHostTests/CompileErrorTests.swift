import UartTunnelTestSupport
import Foundation
import Testing
import UartTunnelChecks

/// What a user sees when their firmware code does not build or load: the compiler's own message, naming the
/// function, and a non-zero exit.
@Suite(.ownThreads) struct CompileErrorTests {
    static var tool: String { FirmwareDeviceProcess.tool }

    @Test func aMissingESPIDFFunctionIsACompileErrorNamingIt() throws {
        let (status, output) = try ChildProcess.run([
            Self.tool, "device", "--listen", "127.0.0.1:0",
            "--driver", FirmwareDeviceProcess.fixture("missing_api/uses_queue_set.c"),
        ], timeout: .seconds(60))
        #expect(status != 0)
        // Queues and semaphores exist (FreeRTOSSemanticsTests); queue sets do not.
        #expect(output.contains("implicit declaration of function") && output.contains("xQueueCreateSet"), "\(output)")
        #expect(output.contains("uses_queue_set.c:"), "gcc's own diagnostics, with file and line: \(output)")
        #expect(output.contains("cannot start the device: compiling 1 C file for the ESP-IDF host layer failed"),
                "\(output)")
    }

    @Test func aMissingFileIsAClearError() throws {
        let (status, output) = try ChildProcess.run([Self.tool, "device", "--listen", "127.0.0.1:0",
                                                     "--driver", "/nonexistent/driver.c"])
        #expect(status != 0)
        #expect(output.contains("--driver /nonexistent/driver.c: no such file"), "\(output)")
    }

    /// Its own build directory: another entry is another build key, and in the shared firmware/build-host it
    /// would wait for and then undo the other tests' builds (a cold CI run timed out at 60 s that way).
    @Test func aMissingEntryFunctionIsAClearError() throws {
        let build = FileManager.default.temporaryDirectory.appendingPathComponent("ut-entry-firmware-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: build) }
        let (status, output) = try ChildProcess.run([Self.tool, "device", "--listen", "127.0.0.1:0",
                                                     "--driver", "firmware", "--build-dir", build,
                                                     "--entry", "no_such_main"],
                                                    timeout: .seconds(180))
        #expect(status != 0)
        #expect(output.contains("the firmware has no function no_such_main()"), "\(output)")
    }

    @Test func swiftAndCFilesDoNotMix() throws {
        let (status, output) = try ChildProcess.run([Self.tool, "device", "--driver", "swift", "--driver", "x.c"])
        #expect(status != 0)
        #expect(output.contains("--driver swift and --driver firmware stand alone"), "\(output)")
    }
}
