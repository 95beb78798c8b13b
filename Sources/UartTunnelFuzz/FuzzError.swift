/// Why fuzzing could not start or finish: one line each, for the CLI.
public enum FuzzError: Error, CustomStringConvertible, Sendable {
    /// No clang with libFuzzer and the sanitizers was found.
    case noToolchain(String)
    /// fuzz/build.sh failed (the compiler's messages are above).
    case buildFailed(String)
    /// A file or directory could not be read or written.
    case io(String)

    public var description: String {
        switch self {
        case .noToolchain(let text), .buildFailed(let text), .io(let text): text
        }
    }
}
