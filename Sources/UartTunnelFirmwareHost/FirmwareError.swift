/// Why firmware C code could not be built, loaded or started. The compiler's own messages go to stderr as it
/// prints them; these say what failed and what to do.
public enum FirmwareError: Error, CustomStringConvertible, Equatable {
    case missingInput(String)
    case toolMissing(String)
    case compileFailed(status: Int32, compiler: String, files: Int)
    /// A `--project` build failed: CMake's or Kconfig's message, or where the compiler's messages are.
    case projectFailed(String)
    case loadFailed(String)
    case entryMissing(String)
    case alreadyLoaded
    /// The soft-AP's link (`--ap-listen`) could not listen.
    case softAPLink(String)

    public var description: String {
        switch self {
        case .missingInput(let what):
            return what
        case .toolMissing(let what):
            return what
        case .compileFailed(let status, let compiler, let files):
            return "compiling \(files) C file\(files == 1 ? "" : "s") for the ESP-IDF host layer failed (\(compiler) "
                + "exit status \(status)); the compiler's messages are above. A call the host layer does not provide "
                + "shows up as \"implicit declaration of function\" naming it"
        case .projectFailed(let message):
            return message
        case .loadFailed(let message):
            if let symbol = message.range(of: "undefined symbol: ").map({ message[$0.upperBound...] }) {
                return "the firmware calls \(symbol), which neither the ESP-IDF host layer nor liblwip provides "
                    + "(dlopen: \(message))"
            }
            return "loading the compiled firmware failed: \(message)"
        case .entryMissing(let entry):
            return "the firmware has no function \(entry)() to start (choose another with --entry)"
        case .softAPLink(let message):
            return message
        case .alreadyLoaded:
            return "a firmware driver is already loaded in this process (the ESP-IDF host layer is process-wide)"
        }
    }
}
