import Foundation
import Synchronization

/// What one test owns for its failure report: notes it wrote and the output of the child processes it started.
/// A test harness binds `TestLog.current` around a test; code that runs in that test's task (or on a thread
/// that re-binds it, see `TestLog.current`) finds it there. Outside tests it is nil and nothing is kept.
public final class TestLog: Sendable {
    @TaskLocal public static var current: TestLog?

    /// Output a child produces while it runs: read from its file until it ends, then the last of it kept.
    public final class ChildOutput: Sendable {
        let title: String
        private let read: @Sendable () -> String
        private let kept = Mutex<String?>(nil)

        init(title: String, read: @escaping @Sendable () -> String) {
            self.title = title
            self.read = read
        }

        /// The child is gone (its file is about to go): keep its last words.
        public func finish(_ text: String) {
            kept.withLock { $0 = text }
        }

        var text: String { kept.withLock { $0 } ?? read() }
    }

    private enum Entry: Sendable {
        case note(String)
        case child(ChildOutput)
    }

    private let entries = Mutex<[Entry]>([])

    public init() {}

    public func note(_ line: String) {
        entries.withLock { $0.append(.note(line)) }
    }

    /// Registers a child's output; `read` returns everything it printed so far and how it ended.
    public func child(_ arguments: [String], read: @escaping @Sendable () -> String) -> ChildOutput {
        let output = ChildOutput(title: arguments.joined(separator: " "), read: read)
        entries.withLock { $0.append(.child(output)) }
        return output
    }

    /// Notes and child outputs in the order they came, the last `limit` of them, each child's cut to its last
    /// `perChild` characters.
    public func render(limit: Int = 40, perChild: Int = 1500) -> String {
        let entries = self.entries.withLock { $0 }
        let left = entries.count > limit ? ["(\(entries.count - limit) earlier entries left out)"] : []
        return (left + entries.suffix(limit).map { entry in
            switch entry {
            case .note(let line):
                return "note: \(line)"
            case .child(let output):
                let text = output.text
                let shown = text.count > perChild ? "…" + text.suffix(perChild) : text
                return "--- output of `\(output.title)` ---\n\(shown.trimmingCharacters(in: .newlines))"
            }
        }).joined(separator: "\n")
    }
}
