import Foundation

/// Runs a program from an argv array (no shell) with extra environment variables. Its stderr goes to this
/// process's stderr unless captured; stdout is captured.
struct FuzzProcess {
    struct Result {
        var status: Int32
        var output: String
        var errorOutput: String
    }

    /// `echoErrors`: stderr is captured and also copied to this process's stderr as it comes (libFuzzer's
    /// progress for the CLI, its final statistics for the report).
    static func run(_ arguments: [String], environment: [String: String] = [:], captureErrors: Bool = false,
                    echoErrors: Bool = false, directory: String? = nil) throws(FuzzError) -> Result {
        let captureErrors = captureErrors || echoErrors
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        if captureErrors { process.standardError = errors }
        do {
            try process.run()
        } catch {
            throw .io("cannot run \(arguments[0]): \(error)")
        }
        // Both pipes drained concurrently, so neither can fill and stall the child.
        nonisolated(unsafe) var errorData = Data()
        let reader = Thread {
            guard captureErrors else { return }
            guard echoErrors else {
                errorData = errors.fileHandleForReading.readDataToEndOfFile()
                return
            }
            while case let chunk = errors.fileHandleForReading.availableData, !chunk.isEmpty {
                FileHandle.standardError.write(chunk)
                errorData.append(chunk)
            }
        }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while reader.isExecuting || !reader.isFinished { usleep(1000) }
        return Result(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                      errorOutput: String(decoding: errorData, as: UTF8.self))
    }

    /// argv[0] found on PATH (or as given when it has a slash).
    static func resolve(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
