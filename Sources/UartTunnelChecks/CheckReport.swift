import Foundation
import Synchronization

/// Collects results, prints progress as each check ends, and renders the final table or JSON.
///
/// Suites may run at once on several threads (`CheckPlan`): each then writes into a `section()` of its own, and
/// the sections are appended in the plan's order, so the table does not depend on which suite ended first. The
/// progress lines (one per finished check, prefixed by its suite) are printed as they come, one whole line at a time.
public final class CheckReport: Sendable {
    private let recorded = Mutex<[CheckResult]>([])
    private let progress: (@Sendable (String) -> Void)?
    private static let progressLock = Mutex(())

    public init(progress: (@Sendable (String) -> Void)? = nil) {
        self.progress = progress
    }

    public var results: [CheckResult] { recorded.withLock { $0 } }

    /// An empty report that prints progress like this one; `append(_:)` brings its results back in.
    public func section() -> CheckReport { CheckReport(progress: progress) }

    /// Adds `other`'s results after this report's own.
    public func append(_ other: CheckReport) {
        let results = other.results
        recorded.withLock { $0 += results }
    }

    /// Runs one check. A body that returns a figure passed; one that throws failed with the error as reason.
    public func run(_ suite: String, _ name: String, _ body: () throws -> String) {
        let started = ContinuousClock.now
        var result: CheckResult
        do {
            result = CheckResult(suite: suite, name: name, outcome: .pass, figure: try body())
        } catch let skip as CheckSkip {
            result = CheckResult(suite: suite, name: name, outcome: .skip, reason: skip.reason)
        } catch {
            result = CheckResult(suite: suite, name: name, outcome: .fail, reason: "\(error)")
        }
        recorded.withLock { $0.append(result) }
        let elapsed = ContinuousClock.now - started
        guard let progress else { return }
        Self.progressLock.withLock { _ in progress("[\(result.outcome.rawValue.uppercased())] \(suite): \(name) (\(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow))))"
            + (result.reason.isEmpty ? "" : " — \(result.reason)")) }
    }

    public func skip(_ suite: String, _ name: String, reason: String) {
        run(suite, name) { throw CheckSkip(reason: reason) }
    }

    public var passed: Int { results.filter { $0.outcome == .pass }.count }
    public var failed: Int { results.filter { $0.outcome == .fail }.count }
    public var skipped: Int { results.filter { $0.outcome == .skip }.count }
    public var allPassed: Bool { failed == 0 && passed > 0 }

    /// `N passed, M failed[, K skipped]`: the closing line CI reads.
    public var summaryLine: String {
        "\(passed) passed, \(failed) failed" + (skipped > 0 ? ", \(skipped) skipped" : "")
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
        return ([line(header), line(rule)] + rows.map(line) + details + ["", summaryLine]).joined(separator: "\n")
    }

    public func json() -> String {
        struct Document: Encodable {
            let passed: Int
            let failed: Int
            let skipped: Int
            let results: [CheckResult]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let results = self.results
        let document = Document(passed: passed, failed: failed, skipped: skipped, results: results)
        return String(decoding: (try? encoder.encode(document)) ?? Data(), as: UTF8.self)
    }
}

/// Thrown by a check that cannot run here (not root, a tool missing); it is reported, not failed.
public struct CheckSkip: Error {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    init(reason: String) { self.reason = reason }
}
