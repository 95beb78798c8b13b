import Foundation
import Synchronization

/// Collects results, prints progress as each check ends, and renders the final table, JSON or JUnit XML.
///
/// Suites may run at once on several threads (`CheckPlan`): each then writes into a `section()` of its own, and
/// the sections are appended in the plan's order, so the table does not depend on which suite ended first. The
/// progress lines (one per finished check, prefixed by its suite) are printed as they come, one whole line at a time.
/// A section carries its suite's parameters (`driver`, `baud`, `mode`), which every result in it reports.
///
/// When the run is interrupted (`interrupt(by:)`), the results recorded so far — sections not yet appended
/// included — are the report, and later checks are neither printed nor recorded.
public final class CheckReport: Sendable {
    private let recorded = Mutex<[CheckResult]>([])
    /// Sections handed out and not yet appended, in the order they were made: their results belong to a partial
    /// report.
    private let pending = Mutex<[CheckReport]>([])
    private let progress: (@Sendable (String) -> Void)?
    private let parameters: [String: String]
    private let state: SharedState
    private static let progressLock = Mutex(())

    /// What a report and its sections share: when the run started and whether it was interrupted.
    private final class SharedState: Sendable {
        let started = ContinuousClock.now
        let interruption = Mutex<Int32?>(nil)
    }

    public init(progress: (@Sendable (String) -> Void)? = nil) {
        self.progress = progress
        parameters = [:]
        state = SharedState()
    }

    private init(progress: (@Sendable (String) -> Void)?, parameters: [String: String], state: SharedState) {
        self.progress = progress
        self.parameters = parameters
        self.state = state
    }

    /// Every result so far: this report's own, then each pending section's, in order.
    public var results: [CheckResult] {
        recorded.withLock { $0 } + pending.withLock { $0 }.flatMap(\.results)
    }

    /// An empty report that prints progress like this one; `append(_:)` brings its results back in. Its results
    /// carry `parameters` (added to this report's own).
    public func section(parameters: [String: String] = [:]) -> CheckReport {
        let section = CheckReport(progress: progress, parameters: self.parameters.merging(parameters) { $1 },
                                  state: state)
        pending.withLock { $0.append(section) }
        return section
    }

    /// Adds `other`'s results after this report's own.
    public func append(_ other: CheckReport) {
        let results = other.results
        recorded.withLock { $0 += results }
        pending.withLock { $0.removeAll { $0 === other } }
    }

    /// Runs one check. A body that returns a figure passed; one that throws failed with the error as reason.
    /// `id` overrides the derived stable id (`CheckResult.id(suite:name:)`).
    public func run(_ suite: String, _ name: String, id: String? = nil, _ body: () throws -> String) {
        let started = ContinuousClock.now
        var outcome = CheckResult.Outcome.pass
        var figure = ""
        var reason = ""
        do {
            figure = try body()
        } catch let skip as CheckSkip {
            outcome = .skip
            reason = skip.reason
        } catch {
            outcome = .fail
            reason = "\(error)"
        }
        let elapsed = ContinuousClock.now - started
        let result = CheckResult(suite: suite, name: name, outcome: outcome, figure: figure, reason: reason, id: id,
                                 parameters: parameters, duration: elapsed)
        // After an interruption the children are gone: what fails now is the teardown, not the check.
        guard interruption == nil else { return }
        recorded.withLock { $0.append(result) }
        guard let progress else { return }
        Self.progressLock.withLock { _ in
            progress("[\(result.outcome.rawValue.uppercased())] \(suite): \(name) "
                + "(\(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow))))"
                + (result.reason.isEmpty ? "" : " — \(result.reason)"))
        }
    }

    public func skip(_ suite: String, _ name: String, reason: String) {
        run(suite, name) { throw CheckSkip(reason: reason) }
    }

    /// Marks the run as interrupted by `signal`: nothing more is recorded or printed.
    public func interrupt(by signal: Int32) {
        state.interruption.withLock { if $0 == nil { $0 = signal } }
    }

    /// The signal that interrupted the run, if one did.
    public var interruption: Int32? { state.interruption.withLock { $0 } }

    public var passed: Int { results.filter { $0.outcome == .pass }.count }
    public var failed: Int { results.filter { $0.outcome == .fail }.count }
    public var skipped: Int { results.filter { $0.outcome == .skip }.count }
    public var allPassed: Bool { failed == 0 && passed > 0 }

    /// The exit status for CI: 0 every check passed (skips allowed), 1 a check failed or none ran, 77 every
    /// check was skipped (CTest's `SKIP_RETURN_CODE`), 128 + the signal when interrupted (130 SIGINT, 143 SIGTERM).
    public var exitCode: Int32 {
        if let interruption { return 128 + interruption }
        let results = self.results
        let failed = results.filter { $0.outcome == .fail }.count
        let passed = results.filter { $0.outcome == .pass }.count
        let skipped = results.count - failed - passed
        if failed > 0 { return 1 }
        if passed > 0 { return 0 }
        return skipped > 0 ? 77 : 1
    }

    /// `N passed, M failed[, K skipped]`: the closing line CI reads.
    public var summaryLine: String {
        "\(passed) passed, \(failed) failed" + (skipped > 0 ? ", \(skipped) skipped" : "")
    }

    /// "interrupted by SIGINT: …" for a partial report, nil for a complete one.
    public var interruptionLine: String? {
        interruption.map { "interrupted by \(Self.signalName($0)): the checks that ended before it are below" }
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(signal)"
        }
    }

    public func table() -> String {
        let results = self.results
        let header = ["suite", "check", "result", "figure", "reason"]
        // One line per check; a multi-line reason (with logs) is shown in full below the table.
        let rows = results.map { result in
            [result.suite, result.name, result.outcome.rawValue, result.figure,
             String(result.reason.split(separator: "\n").first ?? "")]
        }
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < 4 { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index < 4 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) : cell
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        let rule = widths.prefix(4).map { String(repeating: "-", count: $0) } + ["------"]
        let details = results.filter { $0.outcome == .fail && $0.reason.contains("\n") }.map { result in
            "\n\(result.suite): \(result.name)\n\(result.reason)"
        }
        return ((interruptionLine.map { [$0] } ?? []) + [line(header), line(rule)] + rows.map(line) + details
            + ["", summaryLine]).joined(separator: "\n")
    }

    /// The JSON report (keys in snake_case, `ReportJSON`): schema and tool version, the command, the totals, the
    /// exit status, the duration, and each result with its id, parameters, duration and figures.
    public func json(toolVersion: String, command: String) -> String {
        struct Document: Encodable {
            let schemaVersion: Int
            let tool: String
            let toolVersion: String
            let command: String
            let passed: Int
            let failed: Int
            let skipped: Int
            let exitCode: Int32
            let interruptedBy: String?
            let durationSeconds: Double
            let results: [CheckResult]
        }
        let results = self.results
        let document = Document(
            schemaVersion: ReportJSON.schemaVersion, tool: "uart-tunnel", toolVersion: toolVersion, command: command,
            passed: results.filter { $0.outcome == .pass }.count, failed: results.filter { $0.outcome == .fail }.count,
            skipped: results.filter { $0.outcome == .skip }.count, exitCode: exitCode,
            interruptedBy: interruption.map(Self.signalName), durationSeconds: seconds(ContinuousClock.now - state.started),
            results: results)
        return ReportJSON.encode(document)
    }

    /// JUnit XML as GitLab, GitHub (test-reporter actions) and Jenkins read it: one `<testsuite>` per suite label,
    /// one `<testcase>` per check (`classname` the suite, `name` the check), `<failure>`/`<skipped>` with the
    /// reason, the id and figure in `<system-out>`. An interrupted run adds a failing `run completed` case.
    public func junit(command: String) -> String {
        let results = self.results
        var suites: [(name: String, results: [CheckResult])] = []
        for result in results {
            if let index = suites.firstIndex(where: { $0.name == result.suite }) {
                suites[index].results.append(result)
            } else {
                suites.append((result.suite, [result]))
            }
        }
        let total = seconds(ContinuousClock.now - state.started)
        let failures = results.filter { $0.outcome == .fail }.count + (interruption == nil ? 0 : 1)
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<testsuites name="\#(Self.escape(command))" tests="\#(results.count + (interruption == nil ? 0 : 1))" "#
            + #"failures="\#(failures)" errors="0" skipped="\#(results.filter { $0.outcome == .skip }.count)" "#
            + #"time="\#(Self.decimal(total))">"# + "\n"
        for suite in suites {
            let time = suite.results.reduce(0) { $0 + $1.durationSeconds }
            xml += #"  <testsuite name="\#(Self.escape(suite.name))" tests="\#(suite.results.count)" "#
                + #"failures="\#(suite.results.filter { $0.outcome == .fail }.count)" errors="0" "#
                + #"skipped="\#(suite.results.filter { $0.outcome == .skip }.count)" time="\#(Self.decimal(time))">"#
                + "\n"
            if let parameters = suite.results.first?.parameters, !parameters.isEmpty {
                xml += "    <properties>\n"
                for (key, value) in parameters.sorted(by: { $0.key < $1.key }) {
                    xml += #"      <property name="\#(Self.escape(key))" value="\#(Self.escape(value))"/>"# + "\n"
                }
                xml += "    </properties>\n"
            }
            for result in suite.results {
                xml += #"    <testcase classname="\#(Self.escape(result.suite))" name="\#(Self.escape(result.name))" "#
                    + #"time="\#(Self.decimal(result.durationSeconds))">"# + "\n"
                let firstLine = String(result.reason.split(separator: "\n").first ?? "")
                switch result.outcome {
                case .fail:
                    xml += #"      <failure message="\#(Self.escape(firstLine))" type="fail">"#
                        + Self.escape(result.reason) + "</failure>\n"
                case .skip:
                    xml += #"      <skipped message="\#(Self.escape(firstLine))"/>"# + "\n"
                case .pass:
                    break
                }
                xml += "      <system-out>id: \(Self.escape(result.id))"
                    + (result.figure.isEmpty ? "" : "\nfigure: \(Self.escape(result.figure))") + "</system-out>\n"
                xml += "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        if let line = interruptionLine {
            xml += #"  <testsuite name="uart-tunnel" tests="1" failures="1" errors="0" skipped="0" time="0">"# + "\n"
                + #"    <testcase classname="uart-tunnel" name="run completed" time="0">"# + "\n"
                + #"      <failure message="\#(Self.escape(line))" type="interrupted"/>"# + "\n"
                + "    </testcase>\n  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    /// XML text and attribute escaping; control characters other than tab and newline (not allowed in XML 1.0)
    /// become U+FFFD.
    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\n", "\t": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    result += "\u{FFFD}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    private static func decimal(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Thrown by a check that cannot run here (not root, a tool missing); it is reported, not failed.
public struct CheckSkip: Error {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    init(reason: String) { self.reason = reason }
}
