import Foundation
import Testing
import UartTunnelChecks
import UartTunnelSystem
import UartTunnelTestSupport

/// Ctrl-C or a CI timeout during `check` leaves nothing behind: the check is interrupted at several points — each
/// reached causally, by waiting for its progress line — and afterwards no process it started runs (found by an
/// environment marker every child inherits), no namespace of its pid is listed, and its temporary directory
/// (TMPDIR, so firmware compile directories and child logs land there) is empty. It prints the checks that ended
/// and exits 128 + the signal.
@Suite(.ownThreads, .enabled(if: NetworkNamespace.unavailableReason == nil,
                             "interrupting the namespace suites needs root: \(NetworkNamespace.unavailableReason ?? "")"))
struct CheckInterruptTests {
    struct Point: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let progress: String
        let signal: Int32
        var testDescription: String { "\(arguments.joined(separator: " ")) at '\(progress)', signal \(signal)" }
    }

    static let points = [
        // At its very first progress line: namespaces still being made (an `ip netns add` under way).
        Point(arguments: ["check", "all"], progress: "] ", signal: SIGTERM),
        // Mid-way: bridges, devices and namespaces all running.
        Point(arguments: ["check", "all"], progress: "] bridge (tap): ", signal: SIGTERM),
        Point(arguments: ["check", "kernel"], progress: "] kernel: ", signal: SIGINT),
    ]

    @Test(arguments: points) func nothingIsLeftAfterAnInterruption(_ point: Point) throws {
        let marker = "UT_INTERRUPT_TEST=\(UUID().uuidString)"
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("ut-interrupt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = temporary
        let pair = marker.split(separator: "=")
        environment[String(pair[0])] = String(pair[1])

        // Namespaces left by other runs (pids wrap) are not this check's.
        let namespacesBefore = try Self.namespaces()
        let check = try ChildProcess([BuiltExecutable.uartTunnel] + point.arguments, environment: environment)
        #expect(check.waitForOutput(containing: point.progress, timeout: .seconds(120)), "\(check.output)")
        // At the very first line the first children may be a moment away: interrupted once one runs (bounded).
        var before: [String] = []
        let started = ContinuousClock.now + .seconds(10)
        repeat {
            before = Self.processes(with: marker).filter { !$0.hasPrefix("\(check.pid):") }
        } while before.isEmpty && ContinuousClock.now < started && usleep(2_000) == 0
        #expect(!before.isEmpty, "the check had children running when it was interrupted")
        kill(check.pid, point.signal)
        let status = check.wait(timeout: .seconds(60))
        #expect(status == 128 + point.signal, "\(check.output)")
        let output = check.output
        #expect(output.contains("interrupted by \(point.signal == SIGINT ? "SIGINT" : "SIGTERM")"), "\(output)")
        #expect(output.contains(" passed, "), "the partial table ends with its summary line: \(output)")

        // Every child stopped (bounded wait: SIGKILL'd ones are reaped by the check before it exits).
        var left = Self.processes(with: marker)
        let deadline = ContinuousClock.now + .seconds(10)
        while !left.isEmpty && ContinuousClock.now < deadline {
            usleep(50_000)
            left = Self.processes(with: marker)
        }
        #expect(left.isEmpty, "still running: \(left)")
        let made = try Self.namespaces().filter { $0.contains("-\(check.pid)-") && !namespacesBefore.contains($0) }
        #expect(made.isEmpty, "namespaces of the check left: \(made)")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        #expect(files.isEmpty, "left in TMPDIR: \(files)")
    }

    /// The named network namespaces: the files `ip netns add` makes in /run/netns (what `ip netns list` reads).
    static func namespaces() throws -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? [])
    }

    /// `pid: command` of every process whose environment holds `marker`.
    static func processes(with marker: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> String? in
            guard Int32(entry) != nil, Int32(entry) != getpid(),
                  let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ"),
                  environ.split(separator: 0).contains(where: { String(decoding: $0, as: UTF8.self) == marker })
            else { return nil }
            let command = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
                .map { String(decoding: $0.map { $0 == 0 ? 32 : $0 }, as: UTF8.self) } ?? "?"
            return "\(entry): \(command)"
        }
    }
}
