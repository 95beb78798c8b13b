import Foundation
import UartTunnelSystem

/// Builds a target's fuzz binary with fuzz/build.sh (the same script OSS-Fuzz and ClusterFuzzLite run) and the
/// toolchain's clang, cached by content:
///
/// ```
///  CACHE/host-<host key>/*.o        the host layer and harness, compiled once for every target (HOST_OBJECTS)
///  CACHE/<target key>/uart_rx_fuzzer  the linked binary: firmware instrumented with libFuzzer + ASan + UBSan
/// ```
///
/// The host key covers the build script, the harness, the ESP-IDF host layer, the lwIP shims, the wire rules and
/// the compiler; the target key adds the firmware's files, the headers in its include directories and its entry.
/// Concurrent builds of one key serialise on a lock file, so the second finds the first's result.
public struct FuzzBuild: Sendable {
    public var toolchain: FuzzToolchain
    public var cacheDirectory: String

    public static let binaryName = "uart_rx_fuzzer"

    public init(toolchain: FuzzToolchain, cacheDirectory: String = FuzzPaths.cacheDirectory) {
        self.toolchain = toolchain
        self.cacheDirectory = cacheDirectory
    }

    public struct Result: Sendable {
        public var binary: String
        public var cached: Bool
    }

    public func binary(for target: FuzzTarget) throws(FuzzError) -> Result {
        let version = toolchain.version
        let hostKey = Self.key(files: FuzzPaths.hostInputs, extra: [version])
        var targetFiles = target.files
        for directory in target.includeDirectories {
            targetFiles += FuzzPaths.files(under: directory).filter { $0.hasSuffix(".h") }
        }
        let targetKey = Self.key(files: targetFiles, extra: [hostKey, target.entry, target.name] + target.includeDirectories)
        let output = cacheDirectory + "/" + targetKey
        let binary = output + "/" + Self.binaryName
        if FileManager.default.isExecutableFile(atPath: binary) { return Result(binary: binary, cached: true) }

        try create(cacheDirectory)
        let lock = try self.lock(cacheDirectory + "/" + targetKey + ".lock")
        defer { lock.unlock() }
        if FileManager.default.isExecutableFile(atPath: binary) { return Result(binary: binary, cached: true) }

        let hostObjects = cacheDirectory + "/host-" + hostKey
        do {
            let hostLock = try self.lock(hostObjects + ".lock")
            defer { hostLock.unlock() }
            if !FileManager.default.fileExists(atPath: hostObjects + "/.complete") {
                try? FileManager.default.removeItem(atPath: hostObjects)
                try runScript(["HOST_OBJECTS": hostObjects, "HOST_ONLY": "1"], what: "the host layer")
            }
        }
        let partial = output + ".partial-\(getpid())"
        try? FileManager.default.removeItem(atPath: partial)
        try runScript([
            "HOST_OBJECTS": hostObjects, "OUT": partial, "FUZZER_NAME": Self.binaryName,
            "FIRMWARE_SOURCES": target.files.joined(separator: " "),
            "FIRMWARE_INCLUDES": target.includeDirectories.map { "-I" + $0 }.joined(separator: " "),
            "FUZZ_ENTRY": target.entry,
        ], what: target.name)
        try store(partial, as: output)
        prune(keeping: [targetKey, "host-" + hostKey])
        return Result(binary: binary, cached: false)
    }

    /// Every host-layer change makes new keys: past `keep` entries (binaries and host objects), the least recently
    /// built go, except those just made and any built in the last hour — a binary is not locked while it runs, and
    /// parallel tests each build their own target, so a fresh entry may be in use. Locked entries are left alone.
    func prune(keeping current: [String], keep: Int = 12) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: cacheDirectory)) ?? [])
            .filter { !$0.hasSuffix(".lock") && !$0.contains(".partial-") }
        guard names.count > keep else { return }
        func modified(_ name: String) -> Date {
            ((try? FileManager.default.attributesOfItem(atPath: cacheDirectory + "/" + name))?[.modificationDate] as? Date)
                ?? .distantPast
        }
        for name in names.sorted(by: { modified($0) < modified($1) }).prefix(names.count - keep)
        where !current.contains(name) && modified(name) < Date(timeIntervalSinceNow: -3600) {
            let path = cacheDirectory + "/" + name
            guard let lock = try? FileLock(path: path + ".lock") else { continue }
            try? FileManager.default.removeItem(atPath: path)
            lock.unlock()
        }
    }

    /// A Swift target (fuzz/swift/build.sh: the code under test with coverage and ASan), cached by
    /// the content of the Swift modules it compiles, the C code beside them, the harness and the script.
    /// `sanitizers`: the code under test's -sanitize= list ("fuzzer" alone measures what ASan costs).
    public func swiftBinary(_ target: SwiftFuzzTarget, swiftc: String, sanitizers: String = "fuzzer,address")
        throws(FuzzError) -> Result
    {
        let root = FuzzPaths.repositoryRoot
        let inputs = target.sourceDirectories.flatMap { FuzzPaths.files(under: root + "/" + $0) }
        let key = "swift-" + Self.key(files: inputs, extra: [toolchain.version, swiftc, target.binaryName, sanitizers])
        let output = cacheDirectory + "/" + key
        let binary = output + "/" + target.binaryName
        if FileManager.default.isExecutableFile(atPath: binary) { return Result(binary: binary, cached: true) }
        try create(cacheDirectory)
        let lock = try self.lock(output + ".lock")
        defer { lock.unlock() }
        if FileManager.default.isExecutableFile(atPath: binary) { return Result(binary: binary, cached: true) }
        let partial = output + ".partial-\(getpid())"
        try build(root + "/fuzz/swift/build.sh", named: "fuzz/swift/build.sh",
                  environment: ["OUT": partial, "SWIFTC": swiftc, "CC": toolchain.clang,
                                "FUZZ_TARGETS": target.binaryName, "SWIFT_SANITIZERS": sanitizers],
                  what: "the Swift fuzz target \(target.binaryName)")
        try store(partial, as: output)
        prune(keeping: [key])
        return Result(binary: binary, cached: false)
    }

    private func runScript(_ environment: [String: String], what: String) throws(FuzzError) {
        var environment = environment
        environment["CC"] = toolchain.clang
        // build.sh's own defaults for CFLAGS and LIB_FUZZING_ENGINE (libFuzzer, ASan, UBSan): not the caller's
        for name in ["CFLAGS", "LIB_FUZZING_ENGINE", "WORK"] { environment[name] = "" }
        try build(FuzzPaths.buildScript, named: "fuzz/build.sh", environment: environment,
                  what: "the fuzz target for \(what)")
    }

    /// Runs a build script; when it fails, its first 20 error lines go to standard error and the error names `what`.
    private func build(_ script: String, named scriptName: String, environment: [String: String], what: String)
        throws(FuzzError)
    {
        // -eu: the scripts' own shebang flags, which `bash script` ignores (a failed compile would not stop them)
        let result = try FuzzProcess.run(["/bin/bash", "-eu", script], environment: environment, captureErrors: true)
        guard result.status == 0 else {
            let messages = result.errorOutput.split(separator: "\n").filter { $0.contains("error") }.prefix(20)
            FileHandle.standardError.write(Data((messages.joined(separator: "\n") + "\n").utf8))
            throw .buildFailed("building \(what) failed (\(scriptName), exit status \(result.status)); "
                + "the compiler's errors are above")
        }
    }

    /// Moves a finished build from its partial directory to its cache entry, replacing any stale entry.
    private func store(_ partial: String, as output: String) throws(FuzzError) {
        try? FileManager.default.removeItem(atPath: output)
        do {
            try FileManager.default.moveItem(atPath: partial, toPath: output)
        } catch {
            throw .io("cannot store the fuzz binary in \(output): \(error)")
        }
    }

    private func create(_ directory: String) throws(FuzzError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create \(directory): \(error)")
        }
    }

    private func lock(_ path: String) throws(FuzzError) -> FileLock {
        do {
            return try FileLock(path: path)
        } catch {
            throw .io("cannot lock \(path): \(error)")
        }
    }

    /// FNV-1a (two 64-bit lanes) over each file's path and contents and the extra strings: a cache key, not a
    /// security boundary.
    static func key(files: [String], extra: [String], data: [Data] = []) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        func add(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 &+ 1
            }
            a = (a ^ 0xFF) &* 0x0000_0100_0000_01B3
        }
        for string in extra { add(string.utf8) }
        for blob in data { add(blob) }
        for file in files {
            add(file.utf8)
            add(FileManager.default.contents(atPath: file) ?? Data())
        }
        return String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
    }
}
