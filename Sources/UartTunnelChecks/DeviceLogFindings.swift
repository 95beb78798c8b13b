/// What the ESP-IDF host layer said about the firmware in a device's log: its `FATAL <name>: …` lines (the firmware
/// crashed: signal, task, function and line) and `DEFECT <name>: …` lines (heap-grows-per-frame,
/// task-stack-overflow, …). A check run against a child device quotes these instead of the end of its log.
public enum DeviceLogFindings {
    /// The first full `FATAL`/`DEFECT` line of each name, in log order, without the log prefix.
    public static func named(in output: String) -> [String] {
        var seen: Set<String> = []
        var lines: [String] = []
        for line in output.split(separator: "\n") {
            guard let range = line.range(of: " FATAL ") ?? line.range(of: " DEFECT ") else { continue }
            let text = line[line.index(after: range.lowerBound)...]
            let name = text.split(separator: ":").first.map(String.init) ?? String(text)
            // "DEFECT x: seen 10 times" repeats a name already quoted in full
            if seen.insert(name).inserted { lines.append(String(text)) }
        }
        return lines
    }

    /// Why a device that never listened ended: its FATAL lines if it named its crash, else the end of its log.
    public static func startFailure(_ output: String) -> String {
        let fatal = named(in: output).filter { $0.hasPrefix("FATAL ") }
        return fatal.isEmpty ? String(output.suffix(1500)) : fatal.joined(separator: "\n")
    }

    /// One report line after a suite: fails if the device process ended or the host layer named a defect, quoting
    /// what it named; passes only while the process still runs and its log names nothing.
    public static func report(_ child: ChildProcess, label: String, into report: CheckReport) {
        report.run(label, "device still running, no defect named by the host layer") {
            let findings = named(in: child.output)
            if let status = child.exitStatus {
                throw CheckFailure("the device ended (status \(status))"
                    + (findings.isEmpty ? ": \(child.output.suffix(600))" : ": " + findings.joined(separator: "; ")))
            }
            try require(findings.isEmpty, findings.joined(separator: "; "))
            return "running"
        }
    }
}
