import Foundation
import UartTunnelFirmwareHost

/// What `uart-tunnel fuzz` fuzzes: a firmware's C files, their include directories and entry function — the same
/// `--driver` files a device runs (`FirmwareSources`), or the in-repo firmware (every `.c` under firmware/main).
public struct FuzzTarget: Sendable, Equatable {
    /// For the binary's and the findings' names: "firmware", or the first file's stem.
    public var name: String
    public var files: [String]
    public var includeDirectories: [String]
    public var entry: String

    public init(name: String, files: [String], includeDirectories: [String], entry: String = "app_main") {
        self.name = name
        self.files = files
        self.includeDirectories = includeDirectories
        self.entry = entry
    }

    /// A user's C files, checked and with their directories on the include path as a device has them.
    public static func driverFiles(_ files: [String], includeDirectories: [String], entry: String) throws(FirmwareError)
        -> FuzzTarget
    {
        let sources = try FirmwareSources.userFiles(files, includeDirectories: includeDirectories, entry: entry)
        let stem = URL(fileURLWithPath: sources.files[0]).deletingPathExtension().lastPathComponent
        return FuzzTarget(name: sanitized(stem), files: sources.files, includeDirectories: sources.includeDirectories,
                          entry: entry)
    }

    /// The in-repo firmware: every `.c` under firmware/main, with firmware/main and each component's `include`
    /// directory on the include path (its Kconfig options take their defaults, as the sources provide them) —
    /// `FirmwareSources.inRepoFirmware`'s view, in a stable order for the build key.
    public static func inRepoFirmware(entry: String = "app_main") throws(FirmwareError) -> FuzzTarget {
        let sources = try FirmwareSources.inRepoFirmware(entry: entry)
        return FuzzTarget(name: "firmware", files: sources.files, includeDirectories: sources.includeDirectories.sorted(),
                          entry: entry)
    }

    /// An ESP-IDF project by its layout (its CMakeLists are not run): every `.c` under DIR/main and each
    /// DIR/components/<name>, with those directories and their `include` directories on the include path.
    public static func projectLayout(_ directory: String, entry: String = "app_main") throws(FirmwareError) -> FuzzTarget {
        let root = URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.path
        var bases = [root + "/main"]
        let components = (try? FileManager.default.contentsOfDirectory(atPath: root + "/components")) ?? []
        bases += components.sorted().map { root + "/components/" + $0 }
        var files: [String] = []
        var includes: [String] = []
        for base in bases {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            includes.append(base)
            let walker = FileManager.default.enumerator(atPath: base)
            while let relative = walker?.nextObject() as? String {
                if relative.hasSuffix(".c") {
                    files.append(base + "/" + relative)
                } else if URL(fileURLWithPath: relative).lastPathComponent == "include" {
                    includes.append(base + "/" + relative)
                }
            }
        }
        guard !files.isEmpty else {
            throw .missingInput("--project \(directory): no .c files under main/ or components/*/")
        }
        return FuzzTarget(name: sanitized(URL(fileURLWithPath: root).lastPathComponent), files: files.sorted(),
                          includeDirectories: includes, entry: entry)
    }

    static func sanitized(_ text: String) -> String {
        let kept = text.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" }
        return kept.isEmpty ? "driver" : String(kept)
    }
}
