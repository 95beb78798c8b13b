import ArgumentParser
import Foundation
import UartTunnelChecks
import UartTunnelDevice
import UartTunnelLog
import UartTunnelSystem

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

    func validate() throws {
        _ = try connectAddress()
    }

    private func connectAddress() throws -> SocketAddress? {
        guard let connect else { return nil }
        do { return try SocketAddress(parsing: connect) } catch { throw ValidationError("--connect: \(error)") }
    }

    func run() throws {
        let report = options.makeReport()
        if let address = try connectAddress() {
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
