/// The Swift code `uart-tunnel fuzz` fuzzes (fuzz/swift/build.sh builds each): the same step inputs, seed corpus,
/// oracle (the wire's view, fuzz/harness/wire_view.c) and finding kinds as the firmware target.
public enum SwiftFuzzTarget: String, Sendable, CaseIterable {
    /// `RecordDecoder` alone: its frames must be the stream's valid records, whatever the chunking and timing.
    case recordDecoder
    /// The Swift reference driver (`SwiftNetifDriver`) on `TunnelNetif` and the real liblwip: the frames reaching
    /// netif->input must be the stream's valid records.
    case driver

    public var binaryName: String {
        switch self {
        case .recordDecoder: "record_decoder_fuzzer"
        case .driver: "swift_driver_fuzzer"
        }
    }

    /// What the findings and the figures call it.
    public var title: String {
        switch self {
        case .recordDecoder: "Swift RecordDecoder"
        case .driver: "Swift driver through lwIP"
        }
    }

    /// Everything a binary is built from (relative to the repository), for the cache key: the script and harness,
    /// the Swift modules compiled and the C code beside them, and swift-log's checkout.
    var sourceDirectories: [String] {
        let decoder = ["fuzz/swift", "fuzz/harness", "Sources/UartTunnelWire", "CShims/CUartTunnelWire"]
        switch self {
        case .recordDecoder:
            return decoder
        case .driver:
            return decoder + ["Sources/UartTunnelLwIP", "Sources/UartTunnelDevice", "Sources/UartTunnelLink",
                              "Sources/UartTunnelLog", "Sources/UartTunnelSystem", "Sources/CLwIP", "CShims/CLwIPShims",
                              "CShims/CUartTunnelLinux", ".build/checkouts/swift-log/Sources/Logging"]
        }
    }
}
