import UartTunnelFirmwareHost
import UartTunnelFuzz

/// What a fuzz binary is built for, as `fuzz` and `device --virtual-time` name it: the in-repo firmware, C files,
/// a project by its layout, or a Swift target. One place builds it for both.
struct FuzzTargetChoice {
    var drivers: [String]
    var project: String?
    var includeDirectories: [String] = []
    var entry = "app_main"
    var swiftDecoder = false

    /// The Swift target named, if any.
    var swiftTarget: SwiftFuzzTarget? {
        swiftDecoder ? .recordDecoder : drivers == ["swift"] ? .driver : nil
    }

    func makeTarget() throws -> FuzzTarget {
        if let project {
            return try FuzzTarget.projectLayout(project, entry: entry)
        }
        if drivers == ["firmware"] {
            return try FuzzTarget.inRepoFirmware(entry: entry)
        }
        return try FuzzTarget.driverFiles(drivers, includeDirectories: includeDirectories, entry: entry)
    }

    /// Builds (or finds in the cache) the binary; `note` gets a line before a build that may take a while.
    func build(note: (String) -> Void) throws -> FuzzBuild.Result {
        let toolchain = try FuzzToolchain.find()
        if let swiftTarget {
            guard let swiftc = toolchain.swiftc else { throw FuzzError.noToolchain("no swiftc beside \(toolchain.clang)") }
            note("building the \(swiftTarget.title) fuzz target with \(swiftc) (a first build takes a few minutes)")
            return try FuzzBuild(toolchain: toolchain).swiftBinary(swiftTarget, swiftc: swiftc)
        }
        let target = try makeTarget()
        note("building the fuzz target for \(target.name) (\(target.files.count) C file\(target.files.count == 1 ? "" : "s")) with \(toolchain.clang)")
        return try FuzzBuild(toolchain: toolchain).binary(for: target)
    }
}

extension DriverOptions {
    /// The driver as a fuzz target: `device`'s own default is the Swift driver.
    var fuzzTargetChoice: FuzzTargetChoice {
        FuzzTargetChoice(drivers: drivers.isEmpty ? ["swift"] : drivers, project: project,
                         includeDirectories: includeDirectories, entry: entry)
    }

    /// What a virtual-time run (one input) gives the harness: the link's UART, and a hang limit of 30 s of real
    /// time — waiting for a spinning task costs little there, and a loaded machine's slow start is no hang.
    var oneInputEnvironment: [String: String] { ["UART_TUNNEL_FUZZ_UART": "\(uart)"] }
    static let oneInputHangMilliseconds = 30_000

    /// The drivers as reports name them.
    var label: String { drivers.isEmpty ? "swift" : drivers.joined(separator: " ") }
}
