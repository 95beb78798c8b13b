/// A bridge command line as users give it to the checks: `{port}`, `{ifname}` and (serial runs) `{serial}`, the
/// device's pty, are filled in per run.
public enum BridgeCommandTemplate {
    public static func substitute(_ arguments: [String], port: UInt16, ifname: String, serial: String? = nil) -> [String] {
        arguments.map {
            var argument = $0.replacingOccurrences(of: "{port}", with: "\(port)")
                .replacingOccurrences(of: "{ifname}", with: ifname)
            if let serial { argument = argument.replacingOccurrences(of: "{serial}", with: serial) }
            return argument
        }
    }
}
