import Foundation
import UartTunnelSystem

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
        var arguments = [compiler, "-shared"] + Self.compileFlags
        arguments += sources.includeDirectories.map { "-I" + $0 }
        arguments += ["-I" + hostInclude] + lwip.cflags + Self.bundledLibraries.cflags
        arguments += sources.files + (try Self.hostComponentSources(for: sources.files))
        arguments += ["-o", output] + lwip.libs + Self.bundledLibraries.libs + Self.linkFlags
        return arguments
    }

    /// Libraries ESP-IDF bundles as components, from Debian for C files (`--driver`; projects get them from
    /// idf-host/tools/cmake/host_components.cmake): json's `#include "cJSON.h"` (libcjson-dev) and mbedtls
    /// (libmbedtls-dev). Each only when installed, so a machine without them still builds other firmware.
    static let bundledLibraries: (cflags: [String], libs: [String]) = {
        var cflags: [String] = [], libs: [String] = []
        if FileManager.default.fileExists(atPath: "/usr/include/cjson/cJSON.h") {
            cflags.append("-I/usr/include/cjson")
            libs.append("-lcjson")
        }
        if FileManager.default.fileExists(atPath: "/usr/include/mbedtls/ssl.h") {
            libs += ["-lmbedtls", "-lmbedx509", "-lmbedcrypto"]
        }
        return (cflags, libs)
    }()

    /// Host components compiled into the firmware instead of the executable, which does not link mbedTLS: esp-tls
    /// and esp_https_server (idf-host/components; projects get them from host_components.cmake), when one of the
    /// files includes esp_https_server.h or esp_tls.h. Without Debian's mbedTLS that is one clear error.
    static func hostComponentSources(for files: [String]) throws(FirmwareError) -> [String] {
        let includer = files.first { file in
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return false }
            return text.contains("esp_https_server.h") || text.contains("esp_tls.h")
        }
        guard let includer else { return [] }
        guard FileManager.default.fileExists(atPath: "/usr/include/mbedtls/ssl.h") else {
            throw .missingInput("\(includer) uses esp_https_server/esp-tls, which the host builds on Debian's mbedTLS: "
                + "install libmbedtls-dev")
        }
        let root = FirmwareHostPaths.idfHost + "/components/"
        return ["esp-tls", "esp_https_server"].flatMap { component in
            ((try? FileManager.default.contentsOfDirectory(atPath: root + component)) ?? [])
                .filter { $0.hasSuffix(".c") }.sorted().map { root + component + "/" + $0 }
        }
    }

    /// The compile flags of every firmware C file, `--driver` files and `--project` components alike.
    static let compileFlags = ["-std=gnu17", "-fPIC", "-g", "-O1", "-pthread", "-Wall",
                               "-Werror=implicit-function-declaration", "-Werror=implicit-int",
                               "-DESP_PLATFORM=1", "-DESP_IDF_HOST=1"]
    /// The link flags of the firmware's shared object, after liblwip's (`--driver` files and `--project` alike).
    static var linkFlags: [String] { ["-pthread", "-Wl,-Bsymbolic"] + heapWrapFlags + socketWrapFlags }

    /// Compiles into a fresh temporary directory and returns the shared object's path.
    /// A project (`sources.project`) is built, or found in its build cache, by `ProjectBuild`; its object is copied
    /// into the temporary directory, which the caller may remove once the object is loaded.
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
        // Registered, so a device stopped by a signal mid-compile removes it; removed here if the build fails.
        TemporaryPaths.register(directory)
        var built = false
        defer { if !built { TemporaryPaths.remove(directory) } }
        let stem = sources.name.replacingOccurrences(of: "+", with: "_").replacingOccurrences(of: ".c", with: "")
        let output = directory + "/" + (stem.isEmpty ? "firmware" : stem) + ".so"
        if let project = sources.project {
            _ = try project.build(compiler: self, entry: sources.entry, copy: output)
            built = true
            return output
        }
        let arguments = try arguments(for: sources, output: output)
        let status = try Self.run(arguments, passOutput: true).status
        guard status == 0 else {
            throw .compileFailed(status: status, compiler: URL(fileURLWithPath: compiler).lastPathComponent,
                                 files: sources.files.count)
        }
        built = true
        return output
    }

    /// The firmware's own malloc/calloc/realloc/free land in the host layer's bounded heap (src/system/heap.c's
    /// `__wrap_` functions, exported by this executable), as on the chip where they come from a fixed DRAM heap.
    public static let heapWrapFlags = ["-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free"]

    /// The POSIX socket and descriptor calls the firmware's own code makes, and their lwip_* names. Each lands in a
    /// `__wrap_` function of src/netif/socket_wraps.c (exported by this executable): a socket descriptor (960…1023)
    /// goes to lwIP, any other to Linux, as ESP-IDF v5.4's lwip/sockets.h and its Linux target's vfs_lwip.c route
    /// them; lwip_* take and give the same descriptors, as on the chip. Without this the firmware's socket() would
    /// open a real Linux socket beside the tunnel. fuzz/build.sh links the same names.
    public static let socketWrapNames: [String] = {
        let lwip = ["socket", "accept", "bind", "listen", "connect", "send", "recv", "sendto", "recvfrom", "sendmsg",
                    "recvmsg", "setsockopt", "getsockopt", "getsockname", "getpeername", "shutdown", "close", "read", "write",
                    "poll", "fcntl", "ioctl"]
        // name lookups: lwIP's on the chip, the host's resolver here, said once per name (netif/resolver_wraps.c)
        return lwip + ["select"] + lwip.map { "lwip_" + $0 } + ["getaddrinfo", "gethostbyname"]
    }()
    public static var socketWrapFlags: [String] {
        ["-Wl," + socketWrapNames.map { "--wrap=" + $0 }.joined(separator: ",")]
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

    /// Runs argv[0] found on PATH (`BuildTool`). With `passOutput` its stdout and stderr go to this process's stderr;
    /// otherwise both are captured and returned.
    static func run(_ arguments: [String], passOutput: Bool) throws(FirmwareError) -> (status: Int32, output: String) {
        try BuildTool.run(arguments, capture: !passOutput)
    }

    static func resolve(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
