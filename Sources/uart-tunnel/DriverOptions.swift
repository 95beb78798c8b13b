import ArgumentParser
import UartTunnelDevice
import UartTunnelFirmwareHost

/// `--driver`, `-I`, `--entry`, `--uart`, `--status-port`: what runs behind the device's UART.
///
/// ```
/// uart-tunnel device                                   # the Swift reference driver
/// uart-tunnel device --driver firmware                 # firmware/main/**/*.c on the ESP-IDF host layer
/// uart-tunnel device --driver drv.c --driver app.c -I include --entry app_main
/// ```
struct DriverOptions: ParsableArguments {
    @Option(name: .customLong("driver"), help: ArgumentHelp(
        "swift (default), firmware (the in-repo ESP-IDF firmware), or a C file; repeat for several files.",
        discussion: """
            C files are compiled at start with the system C compiler (cc, or $CC) against the ESP-IDF host \
            layer's headers and liblwip, loaded, and their entry function runs on a "main" task as on an ESP32. \
            Compiler errors are shown as they are; an ESP-IDF function the host layer does not provide is a \
            compile error naming it.
            """, valueName: "swift|firmware|file.c"))
    var drivers: [String] = []

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

    func validate() throws {
        if drivers.count > 1, drivers.contains("swift") || drivers.contains("firmware") {
            throw ValidationError("--driver swift and --driver firmware stand alone; C files may be repeated")
        }
        if !isFirmware, !includeDirectories.isEmpty || entry != "app_main" {
            throw ValidationError("-I and --entry apply to C drivers (--driver firmware or --driver file.c)")
        }
        guard (0...2).contains(uart) else { throw ValidationError("--uart must be 0, 1 or 2") }
    }

    private var isFirmware: Bool { !drivers.isEmpty && drivers != ["swift"] }

    /// The same choice as `uart-tunnel device` arguments, for a check that runs the device as a child process.
    var deviceArguments: [String] {
        drivers.flatMap { ["--driver", $0] } + includeDirectories.flatMap { ["-I", $0] }
            + (isFirmware ? ["--entry", entry, "--uart", "\(uart)", "--status-port", "\(statusPort)"] : [])
    }

    /// The factory `TunnelDevice` creates its driver with.
    func factory() throws -> TunnelDevice.DriverFactory {
        guard isFirmware else { return TunnelDevice.swiftDriver }
        let sources = drivers == ["firmware"]
            ? try FirmwareSources.inRepoFirmware(includeDirectories: includeDirectories, entry: entry)
            : try FirmwareSources.userFiles(drivers, includeDirectories: includeDirectories, entry: entry)
        return FirmwareDriver.factory(sources: sources, options: .init(uart: uart, statusPort: statusPort))
    }
}
