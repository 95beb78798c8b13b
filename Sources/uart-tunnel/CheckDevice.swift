import ArgumentParser
import Foundation
import UartTunnelChecks
import UartTunnelDevice
import UartTunnelLog
import UartTunnelSystem
import UartTunnelWire

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

    @Option(help: "Also check that the device agrees with a bridge whose --max-frame is this (1518...9018): frames of growing size each way; the report names the end that refuses or truncates. Without --connect the device is started with the same --max-frame.")
    var maxFrame: Int?

    @Flag(help: ArgumentHelp(
        "Play the suite's kinds of case (the fuzz seed corpus) into the driver on a virtual clock instead: every timeout passes in microseconds.",
        discussion: "The driver (--driver …, --project, or the Swift driver by default) is built as `uart-tunnel fuzz` builds it, under ASan and UBSan; "
            + "each case — valid frames of each size, every invalid length, split and cut records, junk, IP fragments — runs once, "
            + "then 1.5 s of idle line and an ARP request (the canary). A case passes when every valid record reached netif->input "
            + "unaltered, no defect or sanitizer report was named, and the canary was answered. No ping is checked byte for byte "
            + "here: that is the real-time suite's job."))
    var virtualTime = false

    func validate() throws {
        if virtualTime, connect != nil || baud != nil || maxFrame != nil || frameTimeoutMs != 1000 {
            throw ValidationError("--virtual-time plays the cases into a driver built here: no --connect, --baud, --max-frame or --frame-timeout-ms")
        }
        _ = try connectAddress()
        if let maxFrame, !WireFormat.maxFrameLimits.contains(maxFrame) {
            throw ValidationError("--max-frame must be in \(WireFormat.maxFrameLimits)")
        }
    }

    private func connectAddress() throws -> SocketAddress? {
        guard let connect else { return nil }
        do { return try SocketAddress(parsing: connect) } catch { throw ValidationError("--connect: \(error)") }
    }

    func run() throws {
        let report = options.makeReport(command: "check device")
        var parameters = baud.map { ["baud": "\($0)"] } ?? [:]
        if virtualTime {
            parameters["driver"] = driver.label
            parameters["clock"] = "virtual"
            report.run(parameters: parameters) { section in runVirtualTime(into: section) }
        } else if let address = try connectAddress() {
            parameters["connect"] = "\(address)"
            report.run(parameters: parameters) { section in
                DeviceSuite(address: address, frameTimeout: .milliseconds(frameTimeoutMs),
                            lineBytesPerSecond: baud.map { Double($0) / 10 }).run(into: section)
                if let maxFrame {
                    FrameLimitSuite(address: address, maxFrame: maxFrame, frameTimeout: .milliseconds(frameTimeoutMs))
                        .run(into: section)
                }
            }
        } else if let maxFrame {
            parameters["max_frame"] = "\(maxFrame)"
            report.run(parameters: parameters) { section in
                do {
                    let device = try ChildDevice(tool: currentExecutable(),
                                                 arguments: driver.deviceArguments + ["--max-frame", "\(maxFrame)"])
                    defer { device.process.terminate() }
                    FrameLimitSuite(address: device.address, maxFrame: maxFrame).run(into: section)
                } catch {
                    section.run("max frame", "start the device with --max-frame \(maxFrame)") { throw error }
                }
            }
        } else if !driver.drivers.isEmpty || baud != nil {
            let drivers = driver.label
            parameters["driver"] = drivers
            report.run(parameters: parameters) { section in
                runDeviceSuiteInChild(tool: currentExecutable(),
                                      arguments: driver.deviceArguments + (baud.map { ["--baud", "\($0)"] } ?? []),
                                      label: "device (\(drivers)\(baud.map { ", \($0) baud" } ?? ""))",
                                      lineBytesPerSecond: baud.map { Double($0) / 10 }, into: section)
            }
        } else {
            let section = report.section(parameters: ["driver": "swift", "process": "in-process"])
            defer { report.append(section) }
            try runDeviceSuiteInProcess(into: section)
        }
        try options.finish(report, command: "check device")
    }
}
