import ArgumentParser
import Foundation
import UartTunnelChecks
import UartTunnelDevice
import UartTunnelLog
import UartTunnelSystem

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Conformance checks with a report: the device's UART endpoint, and (as root) the real kernel.",
        discussion: """
            With no subcommand, runs everything on the in-repo code: the device suite against an in-process \
            device; the kernel suite (device + `uart-tunnel bridge` + kernel ping/curl in a private network \
            namespace); the bridge suite on `uart-tunnel bridge` (tap and tun) and on the seed's Python bridge. \
            Namespace suites are skipped with the reason when not root. Exit status 0 only if no check failed.
            """,
        subcommands: [CheckAll.self, CheckDevice.self, CheckBridge.self, CheckKernel.self, CheckParity.self],
        defaultSubcommand: CheckAll.self
    )
}

/// Options every check subcommand shares.
struct ReportOptions: ParsableArguments {
    @Flag(help: "Print the report as JSON (for CI) instead of a table.")
    var json = false

    @Option(help: "Log level of an in-process device: error, warn, info, debug or verbose.")
    var logLevel: ESPLogLevel = .error

    func makeReport() -> CheckReport {
        UartTunnelLogging.bootstrap(level: logLevel)
        return CheckReport { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    func finish(_ report: CheckReport) throws {
        print(json ? report.json() : report.table())
        if !report.allPassed { throw ExitCode.failure }
    }
}

/// This executable, for the checks that run it as a child (device and bridge in a namespace).
func currentExecutable() -> String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
}

/// The in-repo firmware as a device driver; the toolkit's own status port stays closed so that the device
/// offers exactly what the firmware does.
let firmwareArguments = ["--driver", "firmware", "--status-port", "0"]

/// Runs the device suite against a `uart-tunnel device` child with `arguments` (another driver, another process).
func runDeviceSuiteInChild(tool: String, arguments: [String], label: String, lineBytesPerSecond: Double? = nil,
                           into report: CheckReport) {
    do {
        let device = try ChildDevice(tool: tool, arguments: arguments, name: label)
        defer { device.process.terminate() }
        DeviceSuite(address: device.address, label: label, lineBytesPerSecond: lineBytesPerSecond).run(into: report)
    } catch {
        report.run(label, "start `uart-tunnel device \(arguments.joined(separator: " "))`") { throw error }
    }
}

/// Runs the device suite against a device in this process, on an ephemeral loopback port.
func runDeviceSuiteInProcess(into report: CheckReport) throws {
    var configuration = DeviceConfiguration()
    configuration.listen = SocketAddress(host: "127.0.0.1", port: 0)
    let device = try TunnelDevice(configuration: configuration)
    try device.start()
    defer { device.stop() }
    DeviceSuite(address: device.link.address, frameTimeout: configuration.frameTimeout).run(into: report)
}

struct CheckAll: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all", abstract: "Every suite (the default).")
    @OptionGroup var options: ReportOptions

    func run() throws {
        let report = options.makeReport()
        let tool = currentExecutable()
        try runDeviceSuiteInProcess(into: report)
        runDeviceSuiteInChild(tool: tool, arguments: firmwareArguments, label: "device (firmware)", into: report)
        ParitySuite(tool: tool, left: ("swift", []), right: ("firmware", firmwareArguments)).run(into: report)
        KernelSuite(tool: tool).run(into: report)
        for mode in ["tap", "tun"] {
            BridgeSuite(command: [tool, "bridge", "--connect", "127.0.0.1:{port}", "--ifname", "{ifname}",
                                  "--mode", mode], label: "bridge (\(mode))").run(into: report)
        }
        BridgeSuite(command: RepositoryPaths.pythonBridgeCommand, label: "bridge (python)").run(into: report)
        PacedSuite(tool: tool).run(into: report)
        runDeviceSuiteInChild(tool: tool, arguments: ["--baud", "115200"], label: "device (swift, 115200 baud)",
                              lineBytesPerSecond: 11_520, into: report)
        runAudit(into: report)
        try options.finish(report)
    }
}

struct CheckDevice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Wire-level conformance of a device's UART endpoint (ours in-process, --driver …, or --connect to any).",
        discussion: """
            Every malformed input of the seed's rules, each followed by a ping that must still be answered. With \
            --driver the device runs as a child process with that driver (e.g. `--driver firmware`, or your C files).
            """
    )
    @OptionGroup var options: ReportOptions
    @OptionGroup var driver: DriverOptions

    @Option(help: "Check a device already listening here (HOST:PORT), e.g. QEMU's chardev, instead of an in-process one.")
    var connect: String?

    @Option(help: "That device's partial-frame timeout in milliseconds.")
    var frameTimeoutMs: Int = 1000

    @Option(help: "The device's UART is paced at this baud (8N1): silences in the checks wait for the line to drain.")
    var baud: Int?

    func run() throws {
        let report = options.makeReport()
        if let connect {
            let address: SocketAddress
            do { address = try SocketAddress(parsing: connect) } catch { throw ValidationError("--connect: \(error)") }
            DeviceSuite(address: address, frameTimeout: .milliseconds(frameTimeoutMs),
                        lineBytesPerSecond: baud.map { Double($0) / 10 }).run(into: report)
        } else if !driver.drivers.isEmpty || baud != nil {
            let drivers = driver.drivers.isEmpty ? "swift" : driver.drivers.joined(separator: " ")
            runDeviceSuiteInChild(tool: currentExecutable(),
                                  arguments: driver.deviceArguments + (baud.map { ["--baud", "\($0)"] } ?? []),
                                  label: "device (\(drivers)\(baud.map { ", \($0) baud" } ?? ""))",
                                  lineBytesPerSecond: baud.map { Double($0) / 10 }, into: report)
        } else {
            try runDeviceSuiteInProcess(into: report)
        }
        try options.finish(report)
    }
}

struct CheckKernel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Device + bridge + the kernel's ping and curl, in a private network namespace (root)."
    )
    @OptionGroup var options: ReportOptions

    func run() throws {
        let report = options.makeReport()
        KernelSuite(tool: currentExecutable()).run(into: report)
        try options.finish(report)
    }
}

struct CheckBridge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge",
        abstract: "Conformance of any bridge: a fake device and the real kernel in a private network namespace (root).",
        discussion: """
            The bridge command follows `--`; `{port}` becomes the fake device's TCP port (on the namespace's \
            loopback) and `{ifname}` the interface to serve (tun0). Without a command, `uart-tunnel bridge` in tap \
            mode is checked. Examples:
              uart-tunnel check bridge -- uart-tunnel bridge --connect 127.0.0.1:{port} --ifname {ifname} --mode tun
              uart-tunnel check bridge -- python3 firmware/tools/serial_tun_bridge.py --port {port} --ifname {ifname}
            """
    )
    @OptionGroup var options: ReportOptions

    @Argument(parsing: .postTerminator, help: "The bridge's command line, with {port} and {ifname} placeholders.")
    var command: [String] = []

    func run() throws {
        let report = options.makeReport()
        let bridge = command.isEmpty
            ? [currentExecutable(), "bridge", "--connect", "127.0.0.1:{port}", "--ifname", "{ifname}"]
            : command
        BridgeSuite(command: bridge).run(into: report)
        try options.finish(report)
    }
}

struct CheckParity: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parity",
        abstract: "Same input to two drivers, compare their output records (ARP/ICMP/UDP exact, TCP normalised).",
        discussion: """
            Each driver runs as its own `uart-tunnel device` process. By default the Swift reference driver is \
            compared with the in-repo firmware driver (`--driver firmware`). A difference is printed with the \
            record number and a hex diff.
            """
    )
    @OptionGroup var options: ReportOptions

    @Option(help: "Device arguments for side A (space separated), e.g. \"--driver swift\".")
    var a: String = "--driver swift"

    @Option(help: "Device arguments for side B, e.g. \"--driver firmware\" or \"--driver my_drv.c --driver app.c\".")
    var b: String = firmwareArguments.joined(separator: " ")

    func run() throws {
        let report = options.makeReport()
        let left = a.split(separator: " ").map(String.init)
        let right = b.split(separator: " ").map(String.init)
        ParitySuite(tool: currentExecutable(), left: (a, left), right: (b, right)).run(into: report)
        try options.finish(report)
    }
}

/// The option audit as two report lines: it always runs, and says how many options differ from the firmware's.
func runAudit(into report: CheckReport) {
    let sdkconfig = RepositoryPaths.root.appendingPathComponent("firmware/sdkconfig.defaults").path
    report.run("audit", "lwIP options vs the firmware's sdkconfig") {
        let text = try String(contentsOfFile: sdkconfig, encoding: .utf8)
        let rows = OptionAudit.rows(sdkconfig: OptionAudit.parseSdkconfig(text),
                                    synAck: .init(note: "not probed in check"))
        return "\(rows.filter(\.differs).count) of \(rows.count) differ (uart-tunnel audit)"
    }
    report.run("audit", "memp pools as built vs headers") {
        let pools = OptionAudit.memoryPools()
        let mismatched = pools.filter { $0.library != $0.headers }
        return mismatched.isEmpty ? "all \(pools.count) agree"
            : mismatched.map { "\($0.pool) \($0.library) vs \($0.headers)" }.joined(separator: ", ") + " (PBUF_RAM used)"
    }
}
