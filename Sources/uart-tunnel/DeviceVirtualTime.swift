import ArgumentParser
import Foundation
import UartTunnelFuzz
import UartTunnelLink
import UartTunnelLog

/// `device --virtual-time --replay CAPTURE`: the replay on the fuzz harness's virtual clock (VirtualReplay).
/// Time there comes from the capture alone, so a live peer, whose silences only happen in real time, has no place
/// in it; nor do the options the harness does not model: each is refused by name.
extension DeviceCommand {
    static let virtualTimeHelp = ArgumentHelp(
        "With --replay: play the capture on a virtual clock that jumps over every idle gap, under ASan and UBSan, and end.",
        discussion: "The driver is built as `uart-tunnel fuzz` builds it (a --project by its layout: main/ and components/*/, "
            + "Kconfig defaults) and the capture's RX bytes are played as one fuzz input: at --baud (115200 8N1 by "
            + "default) through the host UART into the driver's own RX task and lwIP, each gap to the next chunk as "
            + "idle line in whole milliseconds (a byte the capture has within 50 ms of a partial frame's 1 s deadline "
            + "is moved past it, as in fuzzing), then 1.5 s of idle line and one valid ARP request (the canary). "
            + "A 15 s silence costs microseconds and every run takes the same path. --capture and --raw hold both "
            + "directions at their virtual times. Exit status 0: clean; 1: a finding (printed as `fuzz` prints it).")

    func validateVirtualTime() throws {
        guard virtualTime else { return }
        guard replay != nil else {
            throw ValidationError("--virtual-time needs --replay CAPTURE: a live peer's silences happen in real time, so only a capture's timing can drive a virtual clock")
        }
        var refused: [String] = []
        if pty { refused.append("--pty") }
        if listen != Self.defaultListen { refused.append("--listen") }
        if frameTimeoutMs != 1000 { refused.append("--frame-timeout-ms (the harness keeps the seed's 1 s)") }
        if maxFrame != 1518 { refused.append("--max-frame (the harness keeps 1518)") }
        if link.frame.uppercased() != "8N1" { refused.append("--frame (the harness's line is 8N1)") }
        if link.faults != nil { refused.append("--faults") }
        if link.tap != nil { refused.append("--tap") }
        if driver.sdkconfig != nil || !driver.settings.isEmpty || driver.buildDir != nil {
            refused.append("--sdkconfig/--set/--build-dir (a project is built by its layout, with Kconfig defaults)")
        }
        if driver.runtime.isSet { refused.append("--nvs/--console/--max-restarts/--ap-listen") }
        if driver.radio != nil { refused.append("--radio") }
        if driver.heapKb != nil { refused.append("--heap-kb") }
        if runControl.timeout != nil || runControl.expectText != nil || runControl.failText != nil
            || runControl.waitForPeer || runControl.readyFile != nil {
            refused.append("the run-control options (the run ends with the replay)")
        }
        if !refused.isEmpty {
            throw ValidationError("--virtual-time does not take " + refused.joined(separator: ", "))
        }
    }

    func runVirtualTime(_ path: String) throws {
        func note(_ text: String) { FileHandle.standardError.write(Data("uart-tunnel device: \(text)\n".utf8)) }
        let replay = try CaptureReplay(path: path)
        do {
            let build = try driver.fuzzTargetChoice.build(note: note)
            let baud = link.baud ?? 115_200
            note("replaying \(replay.byteCount) bytes in \(replay.chunks.count) pieces over "
                 + String(format: "%.3f s", Double(replay.duration) / 1e9) + " of capture time from \(path), on virtual time at \(baud) 8N1")
            let player = VirtualReplay(binary: build.binary, baud: baud)
            let level = ESPLogLevel.allCases.firstIndex(of: log.logLevel) ?? 3
            let result = try player.run(replay, espLogLevel: level, hangMilliseconds: DriverOptions.oneInputHangMilliseconds,
                                        environment: driver.oneInputEnvironment)
            let configuration = try link.makeConfiguration()
            if configuration.rawCapturePath != nil || configuration.packetCapturePath != nil {
                let tap = try CaptureTap(rawPath: configuration.rawCapturePath, packetPath: configuration.packetCapturePath,
                                         packetFormat: configuration.packetFormat, rate: LineRate(baud: baud),
                                         frameTimeout: .seconds(1))
                VirtualReplay.write(result.log, to: tap, start: .now, source: path)
            }
            let sent = result.log.sent.reduce(0) { $0 + $1.bytes.count }
            note(String(format: "virtual-time replay: %.3f s of virtual time in %.3f s; the driver sent %d bytes",
                        Double(result.virtualMicroseconds) / 1e6, result.realSeconds, sent))
            if let finding = result.finding {
                print("FINDING \(finding.kind): \(finding.summary)")
                throw ExitCode.failure
            }
            print("clean: every record delivered, no defect named, the canary reached netif->input")
        } catch let error as FuzzError {
            note("\(error)")
            throw ExitCode.failure
        }
    }
}
