import Foundation

/// Compiles firmware C files into a shared object with the system C compiler, against the ESP-IDF host layer's
/// headers and Debian's liblwip (`pkg-config lwip`). Runs the compiler from an argv array (no shell); its
/// diagnostics go straight to this process's stderr, exactly as it prints them.
///
/// ```
/// cc -std=gnu17 -shared -fPIC -g -O1 -pthread -Wall -Werror=implicit-function-declaration
///    -DESP_PLATFORM=1 -DESP_IDF_HOST=1  -I<user dirs>… -I<host layer> <lwip cflags>
///    <files>… -o <tmp>/<name>.so <lwip libs> -Wl,-Bsymbolic
/// ```
///
/// `-Werror=implicit-function-declaration` turns a call to an ESP-IDF function the host layer lacks into an
/// error naming it. The object leaves the host layer's symbols undefined: they resolve against this executable
/// (linked with --export-dynamic) when it is loaded, so there is one host layer and one liblwip in the process.
/// `-Bsymbolic` keeps the firmware's own functions bound to themselves.
public struct FirmwareCompiler: Sendable {
    public var compiler: String
    public var hostInclude: String

    public init(compiler: String? = nil, hostInclude: String = FirmwareHostPaths.espIdfInclude) {
        self.compiler = compiler ?? ProcessInfo.processInfo.environment["CC"] ?? "cc"
        self.hostInclude = hostInclude
    }

    /// The full argv for `sources` writing `output`.
    public func arguments(for sources: FirmwareSources, output: String) throws(FirmwareError) -> [String] {
        let lwip = Self.lwipFlags()
        var arguments = [compiler, "-std=gnu17", "-shared", "-fPIC", "-g", "-O1", "-pthread", "-Wall",
                         "-Werror=implicit-function-declaration", "-Werror=implicit-int",
                         "-DESP_PLATFORM=1", "-DESP_IDF_HOST=1"]
        arguments += sources.includeDirectories.map { "-I" + $0 }
        arguments += ["-I" + hostInclude] + lwip.cflags
        arguments += sources.files
        arguments += ["-o", output] + lwip.libs + ["-Wl,-Bsymbolic"]
        return arguments
    }

    /// Compiles into a fresh temporary directory and returns the shared object's path.
    public func build(_ sources: FirmwareSources) throws(FirmwareError) -> String {
        guard FileManager.default.fileExists(atPath: hostInclude + "/esp_netif.h") else {
            throw .missingInput("the ESP-IDF host layer's headers are not at \(hostInclude) "
                + "(set UART_TUNNEL_ESP_IDF_INCLUDE to CShims/CEspIdfHost/esp-idf/include)")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("uart-tunnel-firmware-\(getpid())-\(UUID().uuidString.prefix(8))").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .toolMissing("cannot create \(directory): \(error)")
        }
        let stem = sources.name.replacingOccurrences(of: "+", with: "_").replacingOccurrences(of: ".c", with: "")
        let output = directory + "/" + (stem.isEmpty ? "firmware" : stem) + ".so"
        let arguments = try arguments(for: sources, output: output)
        let status = try Self.run(arguments, passOutput: true).status
        guard status == 0 else {
            throw .compileFailed(status: status, compiler: URL(fileURLWithPath: compiler).lastPathComponent,
                                 files: sources.files.count)
        }
        return output
    }

    /// `pkg-config --cflags/--libs lwip`, or Debian's paths when pkg-config is absent.
    static func lwipFlags() -> (cflags: [String], libs: [String]) {
        func query(_ flag: String) -> [String]? {
            guard let result = try? run(["pkg-config", flag, "lwip"], passOutput: false), result.status == 0 else {
                return nil
            }
            return result.output.split(whereSeparator: \.isWhitespace).map(String.init)
        }
        return (query("--cflags") ?? ["-I/usr/include/lwip"], query("--libs") ?? ["-llwip"])
    }

    /// Runs argv[0] found on PATH. With `passOutput` its stdout and stderr are this process's; otherwise stdout
    /// is captured and returned.
    static func run(_ arguments: [String], passOutput: Bool) throws(FirmwareError) -> (status: Int32, output: String) {
        guard let executable = resolve(arguments[0]) else {
            throw .toolMissing("\(arguments[0]) not found on PATH (install a C compiler, e.g. apt-get install gcc)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(arguments.dropFirst())
        let pipe = Pipe()
        if !passOutput {
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
        }
        do {
            try process.run()
        } catch {
            throw .toolMissing("cannot run \(executable): \(error)")
        }
        let data = passOutput ? Data() : pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func resolve(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
