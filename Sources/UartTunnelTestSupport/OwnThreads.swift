// Test support shared by the test targets: one home for the `.ownThreads` trait and `note`.
import Testing
import UartTunnelChecks
import UartTunnelLog

/// For suites whose tests block (sockets, child processes, timeouts): each test runs on threads of its own
/// instead of one of the cooperative pool's (one per core, two on CI), so blocked tests never keep others
/// from starting. And quiet unless a test fails: the process logs at warning and up into memory, and a test's
/// notes and its child processes' output go into its own `TestLog`; an issue a test records carries both.
/// `UART_TUNNEL_TEST_LOG=1 swift test` also prints the log lines as they come.
public struct OwnThreads: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    /// Scoped at every level: the suite, each test function and each case (the default skips the first two).
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? { self }

    public init() {
        // Traits are made while the test plan is built, before any test runs: every logger of the process,
        // made later, gets the quiet handler.
        UartTunnelLogging.bootstrapForTests(level: .warn)
    }

    public func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        // The suite's and each test's scope too, so that the tasks the framework makes for their tests and
        // cases start off the pool as well, not queued behind blocked work on it (only the framework's own
        // bookkeeping after a scope ends goes back to the pool, so a reported duration can include a wait there).
        guard testCase != nil else {
            return try await withTaskExecutorPreference(OwnThreadExecutor.shared) { try await function() }
        }
        let start = CapturedLog.position
        let testLog = TestLog()
        let attachLog = IssueHandlingTrait.compactMapIssues { issue in
            var issue = issue
            let owned = testLog.render()
            if !owned.isEmpty {
                issue.comments.append(Comment(rawValue: "this test's notes and child processes:\n\(owned)"))
            }
            let lines = CapturedLog.lines(since: start)
            if !lines.isEmpty {
                issue.comments.append(Comment(rawValue: "log while this test ran (tests run at once: others' lines "
                    + "too):\n" + lines.joined(separator: "\n")))
            }
            return issue
        }
        try await TestLog.$current.withValue(testLog) {
            try await attachLog.provideScope(for: test, testCase: testCase) {
                try await withTaskExecutorPreference(OwnThreadExecutor.shared) { try await function() }
            }
        }
    }
}

extension Trait where Self == OwnThreads {
    public static var ownThreads: Self { OwnThreads() }
}

/// A measured figure (a rate, a count) for the test's log: shown if it fails.
public func note(_ text: String) {
    if let log = TestLog.current { log.note(text) } else { CapturedLog.append("note: \(text)") }
}
