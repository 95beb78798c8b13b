import Foundation
import Logging
import UartTunnelSystem

/// An ESP-IDF project (`--project DIR`) built by real CMake through the toolkit's IDF_PATH stand-in (`idf-host/`)
/// into one shared object, loaded like `--driver` C files. The project's own CMakeLists run as written; Kconfig
/// runs in CMake (idf-host/tools/cmake/kconfig.cmake).
///
/// ```
///  DIR/CMakeLists.txt ─cmake (IDF_PATH=idf-host)─▶ BUILD/cmake/… ─make─▶ lib<project>.so ─copy─▶ BUILD/firmware.so
///                                                                                  BUILD/firmware.key ◀─ input hash
/// ```
///
/// Builds are cached by content: when `ProjectBuildKey` of the inputs equals `BUILD/firmware.key`, the stored
/// object is used and nothing runs ("build cache hit" in the log). Concurrent starts of one project serialise on
/// `BUILD/.lock`, so the second finds the first's result.
public struct ProjectBuild: Sendable, Equatable {
    public var projectDirectory: String
    /// Default `DIR/build-host` (ESP-IDF's `idf.py` uses `DIR/build`; a separate name never mixes the two).
    public var buildDirectory: String
    /// `--sdkconfig FILE` (ESP-IDF's `-DSDKCONFIG=`), else `DIR/sdkconfig` if it exists.
    public var sdkconfig: String?
    /// `--set CONFIG_NAME=value`, applied after sdkconfig, in order.
    public var settings: [String]

    public init(projectDirectory: String, buildDirectory: String? = nil, sdkconfig: String? = nil,
                settings: [String] = []) throws(FirmwareError) {
        let directory = FirmwareSources.absolute(projectDirectory)
        guard FirmwareSources.isDirectory(directory) else {
            throw .missingInput("--project \(projectDirectory): no such directory")
        }
        guard FileManager.default.fileExists(atPath: directory + "/CMakeLists.txt") else {
            throw .missingInput("--project \(projectDirectory): no CMakeLists.txt there (an ESP-IDF project has one "
                + "that includes $IDF_PATH/tools/cmake/project.cmake)")
        }
        if let sdkconfig, !FileManager.default.isReadableFile(atPath: sdkconfig) {
            throw .missingInput("--sdkconfig \(sdkconfig): no such readable file")
        }
        for setting in settings where !Self.isSetting(setting) {
            throw .missingInput("--set \(setting): expected CONFIG_NAME=value")
        }
        self.projectDirectory = directory
        self.buildDirectory = buildDirectory.map(FirmwareSources.absolute) ?? directory + "/build-host"
        self.sdkconfig = sdkconfig.map(FirmwareSources.absolute)
        self.settings = settings
    }

    /// The project's name for logs and `/api/status`: its directory's name.
    public var name: String { URL(fileURLWithPath: projectDirectory).lastPathComponent }

    public var objectPath: String { buildDirectory + "/firmware.so" }
    var keyPath: String { buildDirectory + "/firmware.key" }
    /// The component directories of the stored build (CMake's list, kept beside the key).
    var componentListPath: String { buildDirectory + "/component_dirs.txt" }
    var cmakeDirectory: String { buildDirectory + "/cmake" }

    /// What a build produced: the shared object and whether it came from the cache.
    public struct Result: Sendable, Equatable {
        public var object: String
        public var cached: Bool
    }

    /// Builds (or finds cached) `BUILD/firmware.so` and, still holding the build lock, copies it to `copy` if given.
    /// CMake's and the compiler's errors go to stderr.
    public func build(compiler: FirmwareCompiler, entry: String, copy: String? = nil,
                      logger: Logger = Logger(label: "uart_tunnel")) throws(FirmwareError) -> Result {
        do {
            try FileManager.default.createDirectory(atPath: buildDirectory, withIntermediateDirectories: true)
        } catch {
            throw .missingInput("cannot create the build directory \(buildDirectory): \(error)")
        }
        let lock: FileLock
        do {
            lock = try FileLock(path: buildDirectory + "/.lock")
        } catch {
            throw .toolMissing("cannot lock \(buildDirectory): \(error)")
        }
        defer { lock.unlock() }
        let cmake = ProjectCMake(build: self, compiler: compiler, entry: entry)
        let key = try ProjectBuildKey(build: self, cmake: cmake).digest()
        if FileManager.default.fileExists(atPath: objectPath),
           (try? String(contentsOfFile: keyPath, encoding: .utf8)) == key {
            logger.info("project \(name): build cache hit (\(key.prefix(12))), not compiling")
            try copyObject(to: copy)
            return Result(object: objectPath, cached: true)
        }
        logger.info("project \(name): building with CMake in \(cmakeDirectory)")
        let built = try cmake.configureAndBuild()
        do {
            // Under the lock: no other start reads these files meanwhile.
            for (from, to) in [(built, objectPath), (cmakeDirectory + "/component_dirs.txt", componentListPath)] {
                try? FileManager.default.removeItem(atPath: to)
                try FileManager.default.copyItem(atPath: from, toPath: to)
            }
            // The key after the build: CMake has now listed every component directory (some may lie outside DIR).
            let after = try ProjectBuildKey(build: self, cmake: cmake).digest()
            try after.write(toFile: keyPath, atomically: true, encoding: .utf8)
        } catch let error as FirmwareError {
            throw error
        } catch {
            throw .missingInput("cannot store the build in \(buildDirectory): \(error)")
        }
        try copyObject(to: copy)
        return Result(object: objectPath, cached: false)
    }

    private func copyObject(to copy: String?) throws(FirmwareError) {
        guard let copy else { return }
        do {
            try FileManager.default.copyItem(atPath: objectPath, toPath: copy)
        } catch {
            throw .missingInput("cannot copy \(objectPath) to \(copy): \(error)")
        }
    }

    static func isSetting(_ text: String) -> Bool {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { return false }
        return text[..<equals].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
