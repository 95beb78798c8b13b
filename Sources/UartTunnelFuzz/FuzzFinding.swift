import Foundation

/// One thing fuzzing found, saved as a minimized reproducer:
///
/// ```
///  FINDINGS/<kind>-<id>.pcapng   the UART bytes with their times, in the --raw capture format: what
///                                `uart-tunnel device --driver … --replay` plays and `decode`/Wireshark read
///  FINDINGS/<kind>-<id>.input    the libFuzzer input (run the fuzz binary on it to see the sanitizer's report)
///  FINDINGS/<kind>-<id>.txt      the one-line summary, then the full report of the run that reproduced it
/// ```
public struct FuzzFinding: Sendable, Equatable {
    /// "global-buffer-overflow", "heap-use-after-free", "undefined-behavior", "hang", a host-layer defect
    /// ("rx-buffer-written-while-lent", "valid-frame-dropped", …), "resync-lost", "crash", "timeout".
    public var kind: String
    /// One line: what and where.
    public var summary: String
    public var reproducer: String
    public var input: String
    public var report: String

    /// The one line the CLI prints.
    public var line: String { "FINDING \(kind): \(summary) → \(reproducer)" }
}

/// Reads a run's stderr: the harness's own FINDING line first (its abort also makes an ASan report), then the
/// sanitizers' and libFuzzer's.
public enum FuzzReportParser {
    public static func classify(_ report: String) -> (kind: String, summary: String)? {
        let lines = report.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        if let line = lines.first(where: { $0.contains("==uart-tunnel-fuzz== FINDING ") }),
           let range = line.range(of: "==uart-tunnel-fuzz== FINDING ") {
            let rest = line[range.upperBound...]
            let kind = rest.prefix { $0 != ":" }
            return (String(kind), rest.dropFirst(kind.count + 1).trimmingCharacters(in: .whitespaces))
        }
        if let line = lines.first(where: { $0.contains("runtime error:") }) {
            return ("undefined-behavior", trimmedPath(line))
        }
        if let line = lines.first(where: { $0.contains("ERROR: AddressSanitizer: ") }),
           let range = line.range(of: "ERROR: AddressSanitizer: ") {
            let kind = String(line[range.upperBound...].prefix { $0 != " " })
            let summary = lines.first { $0.hasPrefix("SUMMARY: AddressSanitizer: ") }
                .map { String($0.dropFirst("SUMMARY: AddressSanitizer: ".count)) } ?? kind
            return (kind == "SEGV" ? "segv" : kind, firmwareFrame(lines).map { summary + " (from \($0))" } ?? trimmedPath(summary))
        }
        if lines.contains(where: { $0.contains("ERROR: libFuzzer: timeout") }) {
            return ("timeout", "an input ran longer than libFuzzer's -timeout (a deadlock: no task runs, none is blocked in a wait time can end)")
        }
        if lines.contains(where: { $0.contains("ERROR: libFuzzer: out-of-memory") }) {
            return ("out-of-memory", lines.first { $0.contains("out-of-memory") } ?? "out of memory")
        }
        if let line = lines.first(where: { $0.contains("ERROR: libFuzzer: deadly signal") }) {
            return ("crash", line.trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// The innermost stack frame outside the sanitizer runtime and the host layer: the firmware's code.
    static func firmwareFrame(_ lines: [String]) -> String? {
        for line in lines where line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            guard let inRange = line.range(of: " in ") else { continue }
            let place = line[inRange.upperBound...]
            if place.contains("compiler-rt") || place.contains("/CShims/") || place.contains("/fuzz/harness/")
                || place.contains("liblwip") || place.contains("libc.so") || place.contains("nptl") {
                continue
            }
            return trimmedPath(String(place))
        }
        return nil
    }

    /// "/long/path/to/file.c:12:3" → "file.c:12:3".
    static func trimmedPath(_ text: String) -> String {
        text.split(separator: " ").map { word in
            word.contains("/") && word.contains(".") ? String(word.split(separator: "/").last ?? word[...]) : String(word)
        }.joined(separator: " ")
    }
}
