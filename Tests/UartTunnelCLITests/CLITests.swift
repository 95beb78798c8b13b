import Foundation
import Testing
import UartTunnelChecks
import UartTunnelTestSupport

/// The CLI as a user meets it: every subcommand explains itself, bad input is one clear line and a non-zero exit,
/// and `audit` reports what it compared.
@Suite(.ownThreads) struct CLITests {
    static var tool: String { BuiltExecutable.uartTunnel }

    @Test func theRootHelpListsEverySubcommand() throws {
        let (status, output) = try ChildProcess.run([Self.tool, "--help"])
        #expect(status == 0)
        for command in ["device", "bridge", "check", "decode", "audit", "bench"] {
            #expect(output.contains("  \(command) "), "\(command) missing from:\n\(output)")
        }
    }

    @Test(arguments: [
        ("device", "--listen"), ("bridge", "--accept-ra"), ("check", "parity"), ("decode", "--plain"),
        ("audit", "--sdkconfig"), ("bench", "--codec-only"),
    ])
    func everySubcommandHasHelp(command: String, mentions: String) throws {
        let (status, output) = try ChildProcess.run([Self.tool, command, "--help"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("USAGE: uart-tunnel \(command)"), "\(output)")
        #expect(output.contains(mentions), "\(output)")
    }

    @Test func badInputIsAClearErrorAndANonZeroExit() throws {
        let listen = try ChildProcess.run([Self.tool, "device", "--listen", "nowhere"])
        #expect(listen.status != 0)
        #expect(listen.output.contains("--listen"), "\(listen.output)")
        let mtu = try ChildProcess.run([Self.tool, "bridge", "--mtu", "9000"])
        #expect(mtu.status != 0)
        #expect(mtu.output.contains("--mtu must be in 68...1504"), "\(mtu.output)")
        let audit = try ChildProcess.run([Self.tool, "audit", "--sdkconfig", "/nonexistent/sdkconfig"])
        #expect(audit.status != 0, "an sdkconfig that is not there is not silently replaced by defaults")
        #expect(audit.output.contains("--sdkconfig /nonexistent/sdkconfig: no such readable file"), "\(audit.output)")
    }

    /// `audit` sets the toolkit's lwIP beside the firmware's sdkconfig and reports the library's pool sizes as built
    /// (Debian's PBUF_POOL elements are 616 bytes while the headers promise 1560).
    @Test func auditComparesTheFirmwaresSdkconfigWithTheLibrary() throws {
        let sdkconfig = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../firmware/sdkconfig.defaults").standardized.path
        let (status, output) = try ChildProcess.run([Self.tool, "audit", "--sdkconfig", sdkconfig, "--no-probe"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("firmware = \(sdkconfig):"), "\(output)")
        #expect(output.contains(/\d+ of \d+ options differ\./), "\(output)")
        #expect(output.contains("PBUF_POOL 616 vs 1560"), "\(output)")
        let json = try ChildProcess.run([Self.tool, "audit", "--sdkconfig", sdkconfig, "--no-probe", "--json"])
        let document = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect((document?["differences"] as? Int ?? 0) > 0, "\(json.output)")
        #expect(document?["schema_version"] as? Int == 1 && document?["syn_ack"] != nil, "snake_case: \(json.output)")
    }
}
