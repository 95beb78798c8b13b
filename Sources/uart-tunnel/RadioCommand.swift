import ArgumentParser
import UartTunnelFirmwareHost
import UartTunnelSystem

/// `uart-tunnel radio drop-ap lab-ap`: changes a running device's scripted radio.
struct RadioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "radio",
        abstract: "Change the scripted Wi-Fi radio of a running device (one started with --radio-control).",
        discussion: """
            Commands: drop-ap NAME (the AP leaves the air: an associated station loses it after the beacon \
            timeout, BEACON_TIMEOUT 200), restore-ap NAME, rssi NAME DBM, password NAME NEW (associated stations \
            are deauthenticated). Prints the device's answer; exits 1 when the device refuses the command.
            """
    )

    @Option(help: "The device's --radio-control address (HOST:PORT).")
    var connect: String = "127.0.0.1:5558"

    @Argument(help: "drop-ap NAME | restore-ap NAME | rssi NAME DBM | password NAME NEW")
    var command: [String] = []

    func validate() throws {
        _ = try address()
        do {
            _ = try RadioChange(command: command)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    private func address() throws -> SocketAddress {
        do {
            return try SocketAddress(parsing: connect)
        } catch {
            throw ValidationError("--connect \(connect): \(error)")
        }
    }

    func run() throws {
        let answer: String
        do {
            answer = try RadioControl.send(command, to: address())
        } catch {
            print("uart-tunnel radio: \(connect): \(error)")
            throw ExitCode.failure
        }
        print(answer)
        if !answer.hasPrefix("ok") { throw ExitCode.failure }
    }
}
