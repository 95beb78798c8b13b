import ArgumentParser
import CLwIPShims
import Foundation
import UartTunnelChecks
import UartTunnelDevice
import UartTunnelLog
import UartTunnelLwIP
import UartTunnelSystem
import UartTunnelWire

/// `uart-tunnel audit`: the lwIP options this toolkit runs beside the firmware's, and what each difference can change.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Compare the lwIP options of this toolkit's liblwip with the firmware's (sdkconfig + ESP-IDF defaults).",
        discussion: """
            Toolkit side: the option values the installed lwIP headers define (through CLwIPShims), and what can be \
            observed of the library as really built: its memp element sizes against the headers' struct sizes, and \
            the MSS, window and window scale an in-process device advertises in its SYN-ACK. Firmware side: \
            CONFIG_LWIP_* from the sdkconfig file, else ESP-IDF's Kconfig default (or lwIP's own default where \
            ESP-IDF's lwipopts.h sets nothing). Each difference says which results it can change.
            """)

    @Option(help: "The firmware's sdkconfig (or sdkconfig.defaults). Default: firmware/sdkconfig.defaults if present, else ESP-IDF's defaults.")
    var sdkconfig: String?

    static let defaultSdkconfig = "firmware/sdkconfig.defaults"

    func validate() throws {
        if let sdkconfig, !FileManager.default.isReadableFile(atPath: sdkconfig) {
            throw ValidationError("--sdkconfig \(sdkconfig): no such readable file")
        }
    }

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(inversion: .prefixedNo, help: "Observe the running library (SYN-ACK options from an in-process device).")
    var probe = true

    func run() throws {
        UartTunnelLogging.bootstrap(level: .error)
        let settings: [String: String]
        let sdkconfigNote: String
        let path = sdkconfig ?? Self.defaultSdkconfig
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            settings = OptionAudit.parseSdkconfig(text)
            sdkconfigNote = "\(path): \(settings.count) CONFIG_ settings"
        } else {
            settings = [:]
            sdkconfigNote = "no \(path) here: ESP-IDF defaults only"
        }
        let observed = probe ? OptionAudit.observeSynAck() : .init(note: "not probed (--no-probe)")
        let rows = OptionAudit.rows(sdkconfig: settings, synAck: observed)
        let pools = OptionAudit.memoryPools()
        let tunnel = TunnelAudit(sdkconfig: settings)
        if json {
            struct Document: Encodable {
                var schemaVersion = ReportJSON.schemaVersion
                var tool = "uart-tunnel"
                var toolVersion = uartTunnelVersion
                let sdkconfig: String
                let differences: Int
                let options: [OptionAudit.Row]
                let pools: [OptionAudit.Pool]
                let synAck: OptionAudit.SynAck
                let tunnel: TunnelAudit
            }
            let document = Document(sdkconfig: sdkconfigNote, differences: rows.filter(\.differs).count, options: rows,
                                    pools: pools, synAck: observed, tunnel: tunnel)
            print(ReportJSON.encode(document))  // snake_case, like check --json and /api/status
            return
        }
        print("lwIP option audit: toolkit = Debian liblwip \(OptionAudit.libraryVersion) (headers; \"as built\" where observed), "
            + "firmware = \(sdkconfigNote)")
        print(OptionAudit.table(rows))
        print("")
        let mismatched = pools.filter { $0.library != $0.headers }
        print("memp element sizes, library vs headers: \(pools.count - mismatched.count) of \(pools.count) pools agree"
            + (mismatched.isEmpty ? "" : "; differ: " + mismatched.map { "\($0.pool) \($0.library) vs \($0.headers)" }.joined(separator: ", ")))
        print("SYN-ACK of the running stack: \(observed.summary)")
        print(tunnel.summary)
        print("\(rows.filter(\.differs).count) of \(rows.count) options differ.")
    }
}
