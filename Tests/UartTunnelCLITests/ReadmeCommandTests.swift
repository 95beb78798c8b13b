import Foundation
import Testing
import UartTunnelChecks
import UartTunnelTestSupport

/// The README and the CLI agree: the by-hand walk-through runs as written (as a `sh -e` script, in a namespace of
/// its own name), and every option the CLI synopsis shows is one the subcommand's `--help` lists.
@Suite(.ownThreads) struct ReadmeCommandTests {
    static var readme: String {
        (try? String(contentsOf: RepositoryPaths.root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
    }

    /// The first ```sh block after `heading`.
    static func block(after heading: String, fence: String = "```sh") -> String? {
        guard let start = readme.range(of: heading),
              let open = readme.range(of: fence + "\n", range: start.upperBound..<readme.endIndex),
              let close = readme.range(of: "\n```", range: open.upperBound..<readme.endIndex)
        else { return nil }
        return String(readme[open.upperBound..<close.lowerBound])
    }

    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "the walk-through makes a namespace: \(NetworkNamespace.unavailableReason ?? "")"))
    func walkThroughRunsAsAScript() throws {
        let script = try #require(Self.block(after: "### By hand: ping and curl the device"))
        #expect(script.contains("ip netns add demo"))
        // Its own namespace and ready file, the built executable; otherwise the text as written.
        let namespace = "ut-readme-\(getpid())"
        let runnable = script
            .replacingOccurrences(of: "demo", with: namespace)
            .replacingOccurrences(of: ".build/debug/uart-tunnel", with: BuiltExecutable.uartTunnel)
        defer {
            // If the script failed half-way, its background device and bridge live in the namespace.
            if let pids = try? ChildProcess.run(["ip", "netns", "pids", namespace]).output {
                for pid in pids.split(separator: "\n").compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
            }
            _ = try? ChildProcess.run(["ip", "netns", "del", namespace])
            try? FileManager.default.removeItem(atPath: "/tmp/\(namespace)-device.ready")
        }
        let result = try ChildProcess.run(["sh", "-e", "-c", runnable], timeout: .seconds(120))
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("5 packets transmitted, 5 received"), "\(result.output)")
        #expect(result.output.contains(#""peer_connected":true"#), "curl got the device's JSON: \(result.output)")
        let namespaces = try ChildProcess.run(["ip", "netns", "list"]).output
        #expect(!namespaces.contains(namespace))
    }

    /// Every `--option` on a synopsis line of the README's CLI block is in that subcommand's `--help`.
    @Test func synopsisOptionsExistInHelp() throws {
        let synopsis = try #require(Self.block(after: "## CLI", fence: "```"))
        var subcommand: [String] = []
        var checked = 0
        for line in synopsis.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            if words.first == "uart-tunnel" {
                subcommand = Array(words.dropFirst().prefix { !$0.hasPrefix("[") && !$0.hasPrefix("-") && !$0.contains(".") })
                subcommand = subcommand.filter { ["device", "bridge", "check", "decode", "audit", "bench", "parity",
                                                  "kernel", "all", "extcap", "wifi"].contains($0) }
            }
            let options = Set(line.matches(of: /--[a-z][a-z0-9-]+/).map { String($0.output) })
                .subtracting(["--driver"])  // inside parity's quoted --a/--b values; device's own is checked there
            guard !subcommand.isEmpty, !options.isEmpty else { continue }
            if subcommand == ["check"] { subcommand = ["check", "all"] }  // its default subcommand takes the options
            let help = try ChildProcess.run([BuiltExecutable.uartTunnel] + subcommand + ["--help"]).output
            for option in options {
                #expect(help.contains(option), "README shows `uart-tunnel \(subcommand.joined(separator: " ")) \(option)`; its --help does not")
                checked += 1
            }
        }
        #expect(checked > 30, "the synopsis was read")
    }

    @Test func versionPrintsTheVersion() throws {
        let result = try ChildProcess.run([BuiltExecutable.uartTunnel, "--version"])
        #expect(result.status == 0)
        #expect(result.output.range(of: #"^\d+\.\d+\.\d+\n?$"#, options: .regularExpression) != nil, "\(result.output)")
    }
}
