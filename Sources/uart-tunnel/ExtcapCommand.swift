import ArgumentParser
import Foundation
import UartTunnelSystem
#if canImport(Glibc)
import Glibc
#endif

/// `uart-tunnel extcap`: Wireshark's extcap protocol (extcap(4)), so the tunnel of a running `uart-tunnel device
/// --tap HOST:PORT` appears in Wireshark's interface list. Wireshark runs the extcap to list interfaces, DLTs and
/// options, then with `--capture --fifo F`; this one connects to the device's tap and copies its pcapng stream
/// (UART bytes and decoded frames) into the FIFO until the device stops or Wireshark ends the capture.
///
/// Why a tap and not the UART port itself: the device's UART has one peer at a time (the bridge), as QEMU's
/// chardev has, and a capture must not take its place; nor should Wireshark own the device's life (a test or CI job
/// starts it). The tap is a second, read-only loopback port any number of captures can come and go on.
struct ExtcapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extcap",
        abstract: "Wireshark extcap: capture a running device's tap (device --tap) from Wireshark's interface list.",
        discussion: """
            Install once with `uart-tunnel extcap --install` (a two-line wrapper script in Wireshark's personal \
            extcap folder), start the device with `--tap 127.0.0.1:5557`, then pick "uart-tunnel" in Wireshark \
            (its gear icon sets the tap address). The remaining options are the ones Wireshark passes.
            """)

    static let interfaceName = "uart-tunnel"
    static let defaultTap = "127.0.0.1:5557"

    @Flag(name: .customLong("extcap-interfaces"), help: "List this extcap's interfaces (Wireshark asks at start).")
    var listInterfaces = false

    @Option(name: .customLong("extcap-version"), help: "Wireshark's version, passed with --extcap-interfaces.")
    var wiresharkVersion: String?

    @Option(name: .customLong("extcap-interface"), help: "The interface Wireshark means: uart-tunnel.")
    var interface: String?

    @Flag(name: .customLong("extcap-dlts"), help: "List the interface's link types.")
    var listDLTs = false

    @Flag(name: .customLong("extcap-config"), help: "List the interface's options (shown behind its gear icon).")
    var listConfig = false

    @Flag(help: "Capture: copy the tap's pcapng stream into --fifo.")
    var capture = false

    @Option(help: "The FIFO Wireshark reads (with --capture).")
    var fifo: String?

    @Option(name: .customLong("extcap-capture-filter"), help: "Ignored: the tap sends everything; use a display filter.")
    var captureFilter: String?

    @Option(name: .customLong("extcap-control-in"), help: "Ignored (no toolbar controls).")
    var controlIn: String?

    @Option(name: .customLong("extcap-control-out"), help: "Ignored (no toolbar controls).")
    var controlOut: String?

    @Option(help: ArgumentHelp("The device's tap (`device --tap`).", valueName: "host:port"))
    var tap: String = defaultTap

    @Flag(help: "Write the wrapper script Wireshark runs into --extcap-dir, then exit.")
    var install = false

    @Option(help: ArgumentHelp("Wireshark's personal extcap folder: ~/.config/wireshark/extcap for 3.2 ... 4.0, "
                               + "~/.local/lib/wireshark/extcap for 4.2 and newer (Help → About → Folders says).",
                               valueName: "dir"))
    var extcapDir: String?

    func validate() throws {
        let modes = [listInterfaces, listDLTs, listConfig, capture, install].filter { $0 }.count
        guard modes == 1 else {
            throw ValidationError("give one of --extcap-interfaces, --extcap-dlts, --extcap-config, --capture, --install")
        }
        if listDLTs || listConfig || capture {
            guard let interface else { throw ValidationError("--extcap-dlts, --extcap-config and --capture need --extcap-interface") }
            guard interface == Self.interfaceName else {
                throw ValidationError("--extcap-interface \(interface): this extcap has one interface, \(Self.interfaceName)")
            }
        }
        if capture, fifo == nil { throw ValidationError("--capture needs --fifo (the pipe Wireshark reads)") }
    }

    func run() throws {
        if listInterfaces {
            print("extcap {version=\(uartTunnelVersion)}{display=uart-tunnel: ESP32 UART IP tunnel}")
            print("interface {value=\(Self.interfaceName)}{display=ESP32 UART1 tunnel}")
        } else if listDLTs {
            // What the stream's first interface carries; the UART bytes ride on a second one (LINKTYPE_USER0).
            print("dlt {number=1}{name=EN10MB}{display=Ethernet frames decoded from the UART, plus the UART bytes}")
        } else if listConfig {
            print("arg {number=0}{call=--tap}{display=Device tap}{type=string}{default=\(Self.defaultTap)}"
                + "{tooltip=HOST:PORT of a running `uart-tunnel device --tap`}{required=true}")
        } else if install {
            try installWrapper()
        } else {
            try copyTap()
        }
    }

    /// Connects to the tap and copies its stream into the FIFO until either end closes.
    func copyTap() throws {
        let address: SocketAddress
        do {
            address = try SocketAddress(parsing: tap)
        } catch {
            throw RuntimeError("--tap \(error)")
        }
        let socket: Descriptor
        do {
            socket = try TCPSocket.connect(to: address, timeout: .seconds(5))
        } catch {
            throw RuntimeError("no capture tap at \(address) (\(SystemError.message(for: error.errno))): start the "
                               + "device with --tap \(address)")
        }
        defer { socket.close() }
        signal(SIGPIPE, SIG_IGN)  // Wireshark closing the FIFO ends the copy with EPIPE, not a signal
        let output = open(fifo!, O_WRONLY | O_CLOEXEC)
        guard output >= 0 else { throw RuntimeError(SystemError(call: "--fifo \(fifo!)", errno: errno).description) }
        let sink = Descriptor(rawValue: output)
        defer { sink.close() }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count: Int
            do {
                count = try socket.read(into: &buffer)
            } catch {
                throw RuntimeError("capture tap \(address): \(error)")
            }
            if count == 0 { return }  // the device stopped: the capture ends cleanly
            do {
                try sink.writeAll(Array(buffer[0..<count]))
            } catch {
                return  // Wireshark stopped reading
            }
        }
    }

    /// Wireshark runs extcaps directly with its own arguments, so the folder gets a script that adds `extcap`.
    func installWrapper() throws {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        let directory = extcapDir ?? (home + "/.config/wireshark/extcap")
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let path = directory + "/" + Self.interfaceName
        let script = """
            #!/bin/sh
            # Wireshark extcap for uart-tunnel, written by `uart-tunnel extcap --install`.
            exec '\(executable.replacingOccurrences(of: "'", with: "'\\''"))' extcap "$@"

            """
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try script.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        } catch {
            throw RuntimeError("cannot write \(path): \(error.localizedDescription)")
        }
        print("installed \(path) → \(executable) extcap; restart Wireshark and pick \"\(Self.interfaceName)\" "
              + "(Wireshark 4.2 and newer look in ~/.local/lib/wireshark/extcap: use --extcap-dir)")
    }
}
