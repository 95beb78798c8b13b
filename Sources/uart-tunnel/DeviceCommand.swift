import ArgumentParser
import Foundation
import Logging
import UartTunnelDevice
import UartTunnelFuzz
import UartTunnelSystem
import UartTunnelWire

struct DeviceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Run the ESP32 side: real lwIP behind the UART tunnel netif, on a TCP port like QEMU's chardev.",
        discussion: """
            Listens like QEMU's `-serial tcp::5556,server` for UART1 (one peer at a time; a new peer may connect \
            after the old one leaves). Behind it, Debian's liblwip runs as 192.168.100.2/24 (gateway \
            192.168.100.1, MAC 02:00:00:00:00:02, static ARP entry for the gateway), answers ARP and ping and \
            serves HTTP on port 80 through lwIP: GET / and GET /api/status (JSON counters).
            Connect a bridge (`uart-tunnel bridge`, or the seed's serial_tun_bridge.py) and ping/curl 192.168.100.2.
            """
    )

    @Option(help: ArgumentHelp("The UART's endpoint: HOST:PORT (TCP, loopback by default; anything else needs --listen-any), or unix:PATH.",
                               discussion: "unix:PATH is a unix socket like QEMU's -serial unix:PATH,server: created mode 0600, so only this user and root can connect; a stale socket file from a killed device is replaced, and the file is removed at exit."))
    var listen: String = DeviceCommand.defaultListen
    static let defaultListen = "127.0.0.1:5556"

    @Flag(help: "Allow --listen (and --ap-listen) on an address other than loopback. The UART port has no authentication: whoever reaches it is the device's peer, receives what the firmware sends and can inject any frame into it.")
    var listenAny = false

    @Flag(help: "Expose UART1 as a new pseudo-terminal instead of TCP, like QEMU's -serial pty: its path (/dev/pts/N) is printed on standard output; `bridge --serial PATH`, picocom or pyserial open it. An opener that closes it and the next one that opens it are a peer leaving and coming back.")
    var pty = false

    @Option(help: ArgumentHelp("With --pty: also make PATH a symbolic link to the pty (replaced if it is one; removed at exit).",
                               valueName: "path"))
    var ptyLink: String?

    @Option(help: "Longest frame on the UART, 1518 (default) up to 9018 for jumbo frames; the netif MTU follows (1500 ... 9000).")
    var maxFrame: Int = 1518

    @Option(help: "Device IPv4 address.")
    var ip: String = IPv4Address.device.description

    @Option(help: "Netmask.")
    var netmask: String = IPv4Address.netmask.description

    @Option(help: "Gateway (the host's end of the tunnel); it gets a static ARP entry.")
    var gateway: String = IPv4Address.gateway.description

    @Option(help: "Device MAC.")
    var mac: String = MACAddress.device.description

    @Option(help: "Gateway MAC for the static ARP entry (the TAP interface's MAC).")
    var hostMAC: String = MACAddress.host.description

    @Option(help: "Drop a partial frame whose remaining bytes do not arrive within this many milliseconds.")
    var frameTimeoutMs: Int = 1000

    @Option(help: "TCP port of the device's web server (on lwIP).")
    var httpPort: UInt16 = 80

    @Option(help: ArgumentHelp(
        "Play the bytes toward the device in this capture (a `fuzz` reproducer, a --raw capture) into UART1 in real time, then end.",
        discussion: "The replay connects as the peer once the device runs, keeps every idle gap, stays three partial-frame timeouts after the last (the device's check for frames never delivered), then leaves and ends the device (status 0); the log, --capture and --raw are the device's own. With --virtual-time it runs on a virtual clock instead (see there).",
        valueName: "capture"))
    var replay: String?

    @Flag(help: DeviceCommand.virtualTimeHelp)
    var virtualTime = false

    @OptionGroup var log: LogLevelOption

    @OptionGroup(title: "UART line (pacing, faults, capture)") var link: LinkOptions

    @OptionGroup(title: "Driver (what runs behind the UART)") var driver: DriverOptions

    @OptionGroup(title: "Run control (CI)") var runControl: RunControlOptions

    /// Every value is checked here, before `run()`: a mistake in the command line gets `device`'s usage, while an
    /// error while running (a port in use, a capture path that cannot be opened) is one line without it.
    func validate() throws {
        try validateVirtualTime()
        guard frameTimeoutMs > 0 else { throw ValidationError("--frame-timeout-ms must be positive") }
        guard WireFormat.maxFrameLimits.contains(maxFrame) else {
            throw ValidationError("--max-frame must be in \(WireFormat.maxFrameLimits)")
        }
        guard ptyLink == nil || pty else { throw ValidationError("--pty-link needs --pty") }
        guard !(pty && listen.hasPrefix("unix:")) else { throw ValidationError("--pty and --listen unix:PATH are two different UARTs: choose one") }
        if let replay {
            guard !pty else { throw ValidationError("--replay plays into the TCP endpoint: no --pty") }
            guard !listen.hasPrefix("unix:") else { throw ValidationError("--replay plays into the TCP endpoint: no --listen unix:") }
            do { _ = try CaptureReplay(path: replay) } catch { throw ValidationError("\(error)") }
        }
        _ = try makeConfiguration()
    }

    private func makeConfiguration() throws -> DeviceConfiguration {
        var configuration = DeviceConfiguration()
        switch try ListenEndpoint.parse(listen, option: "--listen", listenAny: listenAny) {
        case .tcp(let address): configuration.listen = address
        case .unix(let path): configuration.unixSocket = path
        }
        if let apListen = driver.runtime.apListen {
            _ = try ListenEndpoint.parse(apListen, option: "--ap-listen", listenAny: listenAny)
        }
        configuration.tunnel.address = try parse(ip, "--ip", IPv4Address.init)
        configuration.tunnel.netmask = try parse(netmask, "--netmask", IPv4Address.init)
        configuration.tunnel.gateway = try parse(gateway, "--gateway", IPv4Address.init)
        configuration.tunnel.deviceMAC = try parse(mac, "--mac", MACAddress.init)
        configuration.tunnel.hostMAC = try parse(hostMAC, "--host-mac", MACAddress.init)
        configuration.frameTimeout = .milliseconds(frameTimeoutMs)
        configuration.pty = pty
        configuration.ptySymlink = ptyLink
        configuration.tunnel.maxFrame = maxFrame
        configuration.httpPort = httpPort
        configuration.link = try link.makeConfiguration()
        configuration.link.maxFrame = maxFrame
        return configuration
    }

    func run() throws {
        log.bootstrap()
        if virtualTime, let replay { return try runVirtualTime(replay) }
        let configuration = try makeConfiguration()

        let logger = Logger(label: "uart_tunnel")
        Signals.ignorePipe()
        if configuration.unixSocket == nil && !configuration.listen.isLoopback {
            logger.warning("listening on \(configuration.listen) (--listen-any): the UART port has no authentication; any host that reaches it can read what the firmware sends and inject frames into it")
        }
        // Before anything is built: a signal mid-compile, a timeout or console text ends the device cleanly.
        let control = try DeviceRunControl(options: runControl, logger: logger)
        try control.install()
        let device: TunnelDevice
        do {
            device = try TunnelDevice(configuration: configuration, logger: logger, driver: driver.factory())
            try control.start(device)
            if let replay { try startReplay(replay, into: device, control: control, logger: logger) }
            if pty {
                // Like QEMU's "char device redirected to /dev/pts/N": scripts read the path from here.
                FileHandle.standardOutput.write(Data("UART1 pty: \(device.link.source.endpoint)\n".utf8))
            }
        } catch {
            logger.error("cannot start the device: \(error)")
            throw ExitCode.failure
        }
        while true { sleep(3600) }
    }

    /// `--replay`: a peer thread plays the capture, then the device ends once its last frame has had time.
    private func startReplay(_ path: String, into device: TunnelDevice, control: DeviceRunControl, logger: Logger) throws {
        let replay = try CaptureReplay(path: path)
        let address = device.link.address
        let hold = Duration.milliseconds(frameTimeoutMs * 3 + 500)   // past the device's 3-timeout delivery check
        logger.info("replaying \(replay.byteCount) bytes in \(replay.chunks.count) pieces over \(String(format: "%.3f", Double(replay.duration) / 1e9)) s from \(path)")
        Thread.detachNewThread {
            do {
                try replay.play(to: address, hold: hold)
            } catch {
                logger.error("replay: \(error)")
            }
            Thread.sleep(forTimeInterval: 0.2)   // the link notices the peer leaving
            control.end(.replayed("\(replay.byteCount) bytes from \(path)"))
        }
    }

    private func parse<T>(_ text: String, _ flag: String, _ make: (String) -> T?) throws -> T {
        guard let value = make(text) else { throw ValidationError("\(flag) \(text) is not valid") }
        return value
    }
}
