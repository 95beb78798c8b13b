/// A bridge command line as users give it to the checks: `{port}` and `{ifname}` are filled in per run.
public enum BridgeCommandTemplate {
    public static func substitute(_ arguments: [String], port: UInt16, ifname: String) -> [String] {
        arguments.map {
            $0.replacingOccurrences(of: "{port}", with: "\(port)").replacingOccurrences(of: "{ifname}", with: ifname)
        }
    }
}
