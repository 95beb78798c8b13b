import Foundation

/// The CMake runs of a `ProjectBuild`: configure (`cmake -S DIR -B BUILD/cmake` with `IDF_PATH` set to the
/// toolkit's `idf-host/`) and build (`cmake --build`). The compile and link flags are `FirmwareCompiler`'s, passed
/// as cache variables, so a project and `--driver` files are compiled alike.
struct ProjectCMake: Sendable {
    let build: ProjectBuild
    let compiler: FirmwareCompiler
    let entry: String

    /// The configure argv (also part of the build key: any change to it is a different build).
    var configureArguments: [String] {
        let lwip = FirmwareCompiler.lwipFlags()
        func list(_ items: [String]) -> String { items.joined(separator: ";") }
        return ["cmake", "-S", build.projectDirectory, "-B", build.cmakeDirectory, "-G", "Unix Makefiles",
                "-DCMAKE_C_COMPILER=\(compiler.compiler)",
                "-DIDF_HOST_INCLUDE=\(compiler.hostInclude)",
                "-DIDF_HOST_C_FLAGS=\(list(FirmwareCompiler.compileFlags + lwip.cflags))",
                "-DIDF_HOST_LINK_FLAGS=\(list(lwip.libs + FirmwareCompiler.linkFlags))",
                "-DIDF_HOST_ENTRY=\(entry)",
                "-DIDF_HOST_SETS=\(list(build.settings))",
                "-DSDKCONFIG=\(build.sdkconfig ?? build.projectDirectory + "/sdkconfig")"]
    }

    /// Configures and builds; returns the shared object CMake linked. CMake's and make's output (the compiler's
    /// diagnostics among it) is shown only when a step fails.
    func configureAndBuild() throws(FirmwareError) -> String {
        let environment = ["IDF_PATH": FirmwareHostPaths.idfHost]
        let errorFile = build.cmakeDirectory + "/idf_host_error.txt"
        try? FileManager.default.removeItem(atPath: errorFile)
        let configure = try BuildTool.run(configureArguments, environment: environment, capture: true)
        guard configure.status == 0 else {
            if let message = try? String(contentsOfFile: errorFile, encoding: .utf8) {
                throw .projectFailed(message.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            FileHandle.standardError.write(Data(configure.output.utf8))
            throw .projectFailed("configuring \(build.projectDirectory) with CMake failed (exit status "
                + "\(configure.status)); CMake's messages are above")
        }
        if let kconfig = configure.output.split(separator: "\n").first(where: { $0.hasPrefix("kconfig:") }) {
            FileHandle.standardError.write(Data((kconfig + "\n").utf8))
        }
        let jobs = "\(max(1, ProcessInfo.processInfo.activeProcessorCount))"
        let make = try BuildTool.run(["cmake", "--build", build.cmakeDirectory, "-j", jobs], environment: environment,
                                     capture: true)
        guard make.status == 0 else {
            FileHandle.standardError.write(Data(make.output.utf8))
            throw .projectFailed("building \(build.projectDirectory) failed (exit status \(make.status)); the "
                + "compiler's messages are above. A call the host layer does not provide shows up as "
                + "\"implicit declaration of function\" naming it")
        }
        guard let object = try? String(contentsOfFile: build.cmakeDirectory + "/firmware_object.txt", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), FileManager.default.fileExists(atPath: object) else {
            throw .projectFailed("CMake built \(build.projectDirectory) but named no shared object "
                + "(firmware_object.txt): is IDF_PATH's project.cmake the toolkit's?")
        }
        return object
    }
}
