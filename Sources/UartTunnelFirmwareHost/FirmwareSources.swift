import Foundation

/// What `--driver` names: the C files to compile, the include directories, and the entry function.
///
/// A project (`--project DIR`; `--driver firmware` is `--project firmware`) is built by CMake from its own
/// CMakeLists (`ProjectBuild`). `inRepoFirmware` is the view of `firmware/` as a glob of its C files (`uart-tunnel fuzz`).
/// For a user's files, each file's directory (and its `include` subdirectory, the ESP-IDF component layout) is
/// added after the user's own `-I` directories.
public struct FirmwareSources: Sendable, Equatable {
    public var files: [String]
    public var includeDirectories: [String]
    public var entry: String
    /// For logs and `/api/status`: "firmware", or the file names ("drv.c+app.c"), or the project's directory name.
    public var name: String
    /// An ESP-IDF project built by CMake (`--project DIR`, or `--driver firmware`); then `files` is empty.
    public var project: ProjectBuild?

    public init(files: [String], includeDirectories: [String] = [], entry: String = "app_main", name: String? = nil) {
        self.files = files
        self.includeDirectories = includeDirectories
        self.entry = entry
        self.name = name ?? files.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: "+")
    }

    /// A whole ESP-IDF project (`--project DIR`): built from its own CMakeLists by `ProjectBuild`.
    public static func project(_ project: ProjectBuild, entry: String = "app_main") -> FirmwareSources {
        var sources = FirmwareSources(files: [], entry: entry, name: project.name)
        sources.project = project
        return sources
    }

    /// A user's C files: they must exist; their directories join the include path.
    public static func userFiles(_ files: [String], includeDirectories: [String], entry: String) throws(FirmwareError)
        -> FirmwareSources
    {
        var includes = includeDirectories.map { absolute($0) }
        for directory in includes where !isDirectory(directory) {
            throw .missingInput("-I \(directory): no such directory")
        }
        var absoluteFiles: [String] = []
        for file in files {
            let path = absolute(file)
            guard FileManager.default.fileExists(atPath: path), !isDirectory(path) else {
                throw .missingInput("--driver \(file): no such file")
            }
            absoluteFiles.append(path)
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            for candidate in [directory, directory + "/include"] where isDirectory(candidate) && !includes.contains(candidate) {
                includes.append(candidate)
            }
        }
        return FirmwareSources(files: absoluteFiles, includeDirectories: includes, entry: entry,
                               name: files.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: "+"))
    }

    /// The in-repo firmware (`--driver firmware`), found through `FirmwareHostPaths.firmwareDirectory`.
    public static func inRepoFirmware(includeDirectories: [String] = [], entry: String = "app_main") throws(FirmwareError)
        -> FirmwareSources
    {
        let root = FirmwareHostPaths.firmwareDirectory
        let main = root + "/main"
        guard isDirectory(main) else {
            throw .missingInput("the in-repo firmware is not at \(root) (set UART_TUNNEL_FIRMWARE_DIR to the firmware/ directory)")
        }
        var files: [String] = []
        var includes = includeDirectories.map { absolute($0) } + [main]
        let walker = FileManager.default.enumerator(atPath: main)
        while let relative = walker?.nextObject() as? String {
            let path = main + "/" + relative
            if relative.hasSuffix(".c") {
                files.append(path)
            } else if URL(fileURLWithPath: relative).lastPathComponent == "include", isDirectory(path) {
                includes.append(path)
            }
        }
        guard !files.isEmpty else { throw .missingInput("no .c files under \(main)") }
        return FirmwareSources(files: files.sorted(), includeDirectories: includes, entry: entry, name: "firmware")
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.path
    }

    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}

/// Where the ESP-IDF host layer's headers and the in-repo firmware are. Both are found from this source file's
/// location in the repository (the toolkit runs from its checkout), unless an environment variable says otherwise.
public enum FirmwareHostPaths {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// `UART_TUNNEL_FIRMWARE_DIR`, else `<repo>/firmware`.
    public static var firmwareDirectory: String {
        ProcessInfo.processInfo.environment["UART_TUNNEL_FIRMWARE_DIR"] ?? repositoryRoot + "/firmware"
    }

    /// The IDF_PATH stand-in projects are built with: `UART_TUNNEL_IDF_HOST`, else `<repo>/idf-host`.
    public static var idfHost: String {
        ProcessInfo.processInfo.environment["UART_TUNNEL_IDF_HOST"] ?? repositoryRoot + "/idf-host"
    }

    /// `UART_TUNNEL_ESP_IDF_INCLUDE`, else `<repo>/CShims/CEspIdfHost/esp-idf/include`.
    public static var espIdfInclude: String {
        ProcessInfo.processInfo.environment["UART_TUNNEL_ESP_IDF_INCLUDE"]
            ?? repositoryRoot + "/CShims/CEspIdfHost/esp-idf/include"
    }
}
