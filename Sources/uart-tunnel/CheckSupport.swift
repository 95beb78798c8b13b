import ArgumentParser
import Foundation
import UartTunnelChecks
import UartTunnelDevice
import UartTunnelLog
import UartTunnelSystem

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
        DeviceLogFindings.report(device.process, label: label, into: report)
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
