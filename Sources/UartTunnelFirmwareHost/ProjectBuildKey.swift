import Foundation

/// The content hash a `ProjectBuild` is cached under: SHA-256 (coreutils' `sha256sum`) over every file of the
/// project (its build directories and dot-directories left out; managed_components/ in: it is built), every
/// component directory CMake listed at the last build that lies outside it (`BUILD/component_dirs.txt`), the
/// IDF_PATH stand-in, the host layer's headers, the sdkconfig file, the CMake configure argv (flags, entry, `--set`),
/// the toolkit version and the compiler's and CMake's `--version`. Any difference is a new build; the same inputs start without compiling.
struct ProjectBuildKey {
    let build: ProjectBuild
    let cmake: ProjectCMake

    func digest() throws(FirmwareError) -> String {
        var manifest = Data()
        func add(_ text: String) { manifest.append(contentsOf: Array(text.utf8) + [0]) }
        add("uart-tunnel project build 1")
        cmake.configureArguments.forEach(add)
        for tool in [cmake.compiler.compiler, "cmake"] {
            add((try? FirmwareCompiler.run([tool, "--version"], passOutput: false).output) ?? "\(tool): none")
        }
        var roots = [build.projectDirectory, FirmwareHostPaths.idfHost, cmake.compiler.hostInclude]
        let listed = (try? String(contentsOfFile: build.componentListPath, encoding: .utf8)) ?? ""
        for directory in listed.split(separator: "\n").map(String.init)
        where !roots.contains(where: { directory == $0 || directory.hasPrefix($0 + "/") }) {
            roots.append(directory)
        }
        for root in roots { addTree(root, to: &manifest) }
        if let sdkconfig = build.sdkconfig, !sdkconfig.hasPrefix(build.projectDirectory + "/") {
            addFile(sdkconfig, to: &manifest)
        }
        return try Self.sha256(manifest)
    }

    /// Every regular file under `root`, in sorted order, as path and contents; build outputs skipped.
    private func addTree(_ root: String, to manifest: inout Data) {
        let skipped = Set(["build", "build-host"])
        var files: [String] = []
        let walker = FileManager.default.enumerator(atPath: root)
        while let relative = walker?.nextObject() as? String {
            let path = root + "/" + relative
            let last = URL(fileURLWithPath: relative).lastPathComponent
            if last.hasPrefix(".") || (skipped.contains(last) && FirmwareSources.isDirectory(path))
                || path == build.buildDirectory {
                if FirmwareSources.isDirectory(path) { walker?.skipDescendants() }
                continue
            }
            if !FirmwareSources.isDirectory(path) { files.append(relative) }
        }
        manifest.append(contentsOf: Array("tree \(root)".utf8) + [0])
        for relative in files.sorted() { addFile(root + "/" + relative, to: &manifest) }
    }

    private func addFile(_ path: String, to manifest: inout Data) {
        let contents = FileManager.default.contents(atPath: path) ?? Data()
        manifest.append(contentsOf: Array("\(path) \(contents.count)".utf8) + [0])
        manifest.append(contents)
    }

    static func sha256(_ data: Data) throws(FirmwareError) -> String {
        let result = try BuildTool.run(["sha256sum", "-"], input: Array(data), capture: true)
        guard result.status == 0, let digest = result.output.split(separator: " ").first else {
            throw .toolMissing("sha256sum failed (exit status \(result.status)); it comes with coreutils")
        }
        return String(digest)
    }
}
