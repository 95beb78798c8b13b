import Foundation
import UartTunnelSystem

/// Runs the build's tools (cc, cmake, sha256sum) as children through `ChildSpawn`, which starts them with every
/// signal unblocked and at its default action. Foundation's `Process` passes on the caller's signal mask: from a
/// thread that blocks SIGCHLD (the test runner's do), CMake never learns that its own children ended and hangs.
enum BuildTool {
    /// Runs `arguments` (argv[0] looked up on PATH) with `environment` added and `input` on stdin. With `capture`
    /// its stdout and stderr are returned together; otherwise both go to this process's stderr.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: [UInt8] = [],
                    capture: Bool) throws(FirmwareError) -> (status: Int32, output: String) {
        guard let executable = FirmwareCompiler.resolve(arguments[0]) else {
            throw .toolMissing("\(arguments[0]) not found on PATH (install it, e.g. apt-get install gcc cmake)")
        }
        var merged: [String: String]? = nil
        if !environment.isEmpty {
            merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        do {
            let stdin = try Descriptor.pipe()
            let stdout = capture ? try Descriptor.pipe() : nil
            let pid: pid_t
            do {
                defer { stdin.read.close(); stdout?.write.close() }
                pid = try ChildSpawn.start(path: executable, arguments: [executable] + arguments.dropFirst(),
                                           environment: merged, input: stdin.read,
                                           output: stdout?.write ?? Descriptor(rawValue: 2))
            } catch {
                stdin.write.close()
                stdout?.read.close()
                throw error
            }
            // The tools here read all their input before they write much, so writing first cannot deadlock.
            defer { stdout?.read.close() }
            let written = Result { () throws(SystemError) in try stdin.write.writeAll(input) }
            stdin.write.close()
            var output: [UInt8] = []
            if let reader = stdout?.read {
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while case let count = try reader.read(into: &buffer), count > 0 {
                    output += buffer[..<count]
                }
            }
            _ = try ChildSpawn.waitEnded(pid, timeout: nil)
            let status = try ChildSpawn.reap(pid) ?? -1
            _ = try? written.get()
            return (status, String(decoding: output, as: UTF8.self))
        } catch {
            throw .toolMissing("cannot run \(executable): \(error)")
        }
    }
}
