import ArgumentParser
import UartTunnelDevice
import UartTunnelFirmwareHost
import UartTunnelSystem

/// `--driver`, `--project`, `--sdkconfig`, `--set`, `--build-dir`, `-I`, `--entry`, `--uart`, `--status-port`:
/// what runs behind the device's UART.
///
/// ```
/// uart-tunnel device                                   # the Swift reference driver
/// uart-tunnel device --project ~/my-idf-project        # an ESP-IDF project, built by CMake from its CMakeLists
/// uart-tunnel device --driver firmware                 # the in-repo project: --project firmware
/// uart-tunnel device --driver drv.c --driver app.c -I include --entry app_main
/// ```
struct DriverOptions: ParsableArguments {
    @Option(name: .customLong("driver"), help: ArgumentHelp(
        "swift (default), firmware (the in-repo ESP-IDF project, as --project firmware), or a C file; repeat for several files.",
        discussion: """
            C files are compiled at start with the system C compiler (cc, or $CC) against the ESP-IDF host \
            layer's headers and liblwip, loaded, and their entry function runs on a "main" task as on an ESP32. \
            Compiler errors are shown as they are; an ESP-IDF function the host layer does not provide is a \
            compile error naming it.
            """, valueName: "swift|firmware|file.c"))
    var drivers: [String] = []

    @Option(name: .customLong("project"), help: ArgumentHelp(
        "An ESP-IDF project directory (its CMakeLists.txt includes $IDF_PATH/tools/cmake/project.cmake).",
        discussion: """
            The project is configured and built by CMake as written, with this toolkit's IDF_PATH stand-in \
            (idf-host/): components from main/, components/, EXTRA_COMPONENT_DIRS and managed_components/ \
            (idf_component.yml dependencies as `idf.py reconfigure` left them; nothing is downloaded), selected \
            by COMPONENTS/EXCLUDE_COMPONENTS, Kconfig options into sdkconfig.h (Kconfig defaults, then \
            sdkconfig.defaults, then sdkconfig, then --set), EMBED_FILES. ESP-IDF components the host provides: \
            freertos, esp_netif, lwip, esp_event, esp_log, esp_system, esp_timer, nvs_flash, driver, \
            esp_driver_uart, esp_http_server, esp_https_server and esp-tls (Debian's mbedTLS), esp_wifi, json \
            (cJSON), mbedtls and the common ones; any other is an error naming it. The result is cached by content in the build directory: an \
            unchanged project starts without compiling.
            """, valueName: "dir"))
    var project: String?

    @Option(help: ArgumentHelp("Projects: the sdkconfig to use instead of DIR/sdkconfig (as idf.py -DSDKCONFIG=…).",
                               valueName: "file"))
    var sdkconfig: String?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Projects: set a Kconfig option after sdkconfig (repeatable), e.g. --set CONFIG_LOG_DEFAULT_LEVEL_DEBUG=y.",
        valueName: "CONFIG_NAME=value"))
    var settings: [String] = []

    @Option(help: ArgumentHelp("Projects: the build directory (default DIR/build-host).", valueName: "dir"))
    var buildDir: String?

    @Option(name: .customShort("I", allowingJoined: true), help: ArgumentHelp(
        "An include directory for C drivers (repeatable).", valueName: "dir"))
    var includeDirectories: [String] = []

    @Option(help: "The C driver's entry function (ESP-IDF's is app_main).")
    var entry: String = "app_main"

    @Option(help: "The UART the firmware uses for the tunnel; the link is wired to it.")
    var uart: Int = 1

    @Option(help: ArgumentHelp(
        "C drivers: lwIP port for the toolkit's own status pages (/api/status with the driver's defects); 0 for none.",
        discussion: "Port 80 belongs to the firmware's web server."))
    var statusPort: UInt16 = 8080

    @Option(name: .customLong("heap-kb"), help: ArgumentHelp(
        "C drivers: the firmware's heap in KiB (default: an ESP32's, \(FirmwareDriver.defaultHeapBytes) bytes).",
        discussion: """
            The firmware's own malloc/calloc/realloc/free and heap_caps_* are charged to it: past it they return \
            NULL as on the chip, esp_get_free_heap_size and heap_caps_get_free_size report what is left, and a \
            heap that grows with every window of frames is the defect heap-grows-per-frame. The default is the \
            8-bit-capable DRAM of ESP-IDF v5.4's documented ESP32 boot log (heap_init: 6 + 180 + 14 + 111 KiB).
            """, valueName: "KiB"))
    var heapKb: Int?

    @Option(help: ArgumentHelp(
        "C drivers: a Wi-Fi scenario (JSON) for the firmware's esp_wifi: the APs in range, the lease, timed events.",
        discussion: """
            A firmware that creates a Wi-Fi station (esp_netif_create_default_wifi_sta) gets the link as its radio: \
            frames pass only while it is associated. The file lists "aps" (ssid, password, auth open|wep|wpa-psk|\
            wpa2-psk|wpa-wpa2-psk|wpa3-psk|wpa2-wpa3-psk, channel, rssi, bssid, present), the "lease" a connected \
            station gets (default: --ip/--netmask/--gateway), "timing" in ms and "events" ({"at_ms", "ap", \
            "action": down|up|rssi|password}). See Sources/UartTunnelFirmwareHost/RadioScenario.swift.
            """, valueName: "radio.json"))
    var radio: String?

    @Option(help: ArgumentHelp(
        "With --radio: a loopback HOST:PORT for run-time radio commands (`uart-tunnel radio --connect HOST:PORT …`).",
        valueName: "host:port"))
    var radioControl: String?

    @OptionGroup(title: "Firmware runtime (NVS, esp_restart, UART0 console)") var runtime: FirmwareRuntimeOptions

    func validate() throws {
        if drivers.count > 1, drivers.contains("swift") || drivers.contains("firmware") {
            throw ValidationError("--driver swift and --driver firmware stand alone; C files may be repeated")
        }
        if project != nil, !drivers.isEmpty {
            throw ValidationError("--project and --driver stand alone: a project brings its own sources")
        }
        if projectDirectory == nil, sdkconfig != nil || !settings.isEmpty || buildDir != nil {
            throw ValidationError("--sdkconfig, --set and --build-dir apply to projects (--project DIR or --driver firmware)")
        }
        if projectDirectory != nil, !includeDirectories.isEmpty {
            throw ValidationError("-I applies to C files (--driver file.c); a project's include directories come from its CMakeLists")
        }
        if !isFirmware, !includeDirectories.isEmpty || entry != "app_main" {
            throw ValidationError("-I and --entry apply to C drivers (--project, --driver firmware or --driver file.c)")
        }
        for setting in settings where !setting.contains("=") || setting.hasPrefix("=") {
            throw ValidationError("--set \(setting): expected CONFIG_NAME=value")
        }
        guard (0...2).contains(uart) else { throw ValidationError("--uart must be 0, 1 or 2") }
        if !isFirmware, runtime.isSet {
            throw ValidationError("--nvs, --console, --max-restarts and --ap-listen apply to C drivers (--project, --driver firmware or --driver file.c)")
        }
        if let heapKb {
            guard isFirmware else { throw ValidationError("--heap-kb applies to C drivers (--project, --driver firmware or file.c)") }
            guard (1...1_048_576).contains(heapKb) else { throw ValidationError("--heap-kb must be 1 ... 1048576 (KiB)") }
        }
        if radio != nil, !isFirmware {
            throw ValidationError("--radio applies to C drivers (--project, --driver firmware or --driver file.c)")
        }
        _ = try radioScenario()
        if let radioControl {
            guard radio != nil else { throw ValidationError("--radio-control needs --radio") }
            guard (try? SocketAddress(parsing: radioControl)) != nil else {
                throw ValidationError("--radio-control \(radioControl) is not HOST:PORT")
            }
        }
    }

    /// The `--radio` file, read and checked (one-line errors).
    private func radioScenario() throws -> RadioScenario? {
        guard let radio else { return nil }
        do {
            return try RadioScenario.load(path: radio)
        } catch {
            throw ValidationError("--radio \(error)")
        }
    }

    private var isFirmware: Bool { project != nil || (!drivers.isEmpty && drivers != ["swift"]) }

    /// The project to build: `--project DIR`, or the in-repo firmware for `--driver firmware`.
    private var projectDirectory: String? {
        project ?? (drivers == ["firmware"] ? FirmwareHostPaths.firmwareDirectory : nil)
    }

    /// The same choice as `uart-tunnel device` arguments, for a check that runs the device as a child process.
    var deviceArguments: [String] {
        var arguments: [String] = drivers.flatMap { ["--driver", $0] }
        if let project { arguments += ["--project", project] }
        if let sdkconfig { arguments += ["--sdkconfig", sdkconfig] }
        arguments += settings.flatMap { ["--set", $0] }
        if let buildDir { arguments += ["--build-dir", buildDir] }
        arguments += includeDirectories.flatMap { ["-I", $0] }
        if isFirmware { arguments += ["--entry", entry, "--uart", "\(uart)", "--status-port", "\(statusPort)"] }
        arguments += runtime.deviceArguments
        if let heapKb { arguments += ["--heap-kb", "\(heapKb)"] }
        if let radio { arguments += ["--radio", radio] }
        if let radioControl { arguments += ["--radio-control", radioControl] }
        return arguments
    }

    private var firmwareOptions: FirmwareDriver.Options {
        var options = FirmwareDriver.Options(uart: uart, statusPort: statusPort)
        if let heapKb { options.heapBytes = heapKb * 1024 }
        return options
    }

    /// The factory `TunnelDevice` creates its driver with.
    func factory() throws -> TunnelDevice.DriverFactory {
        guard isFirmware else { return TunnelDevice.swiftDriver }
        let sources: FirmwareSources
        var options = firmwareOptions
        if let directory = projectDirectory {
            let build = try ProjectBuild(projectDirectory: directory, buildDirectory: buildDir, sdkconfig: sdkconfig,
                                         settings: settings)
            sources = .project(build, entry: entry)
            options.runtime = try runtime.runtime(buildDirectory: build.buildDirectory)  // NVS under the build dir
        } else {
            sources = try FirmwareSources.userFiles(drivers, includeDirectories: includeDirectories, entry: entry)
            options.runtime = try runtime.runtime(buildDirectory: nil)
        }
        let firmware = FirmwareDriver.factory(sources: sources, options: options)
        guard let scenario = try radioScenario() else { return firmware }
        let control = try radioControl.map { try SocketAddress(parsing: $0) }
        return { configuration, logger, send in
            scenario.install(defaultLease: configuration.tunnel)  // before the firmware's esp_wifi runs
            if let control {
                let server = try RadioControl(listen: control, logger: logger)
                logger.info("radio control listening on \(server.address)")
            }
            return try firmware(configuration, logger, send)
        }
    }
}
