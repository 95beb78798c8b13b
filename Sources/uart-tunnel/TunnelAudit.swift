import UartTunnelLink
import UartTunnelWire

/// The firmware's tunnel settings in `audit`: its UART rate and frame limit (Kconfig `NETIF_UART_TUNNEL_BAUD_RATE`,
/// `UART_TUNNEL_MAX_FRAME`, defaults where the sdkconfig sets none), what the line carries at that rate, and the
/// flags that make the device and the bridge match it.
struct TunnelAudit: Encodable {
    let baud: Int
    let maxFrame: Int
    let mtu: Int
    /// 8N1 bytes a second, and how long the largest record takes to cross.
    let bytesPerSecond: Double
    let fullRecordMilliseconds: Double
    let deviceFlags: String
    let bridgeFlags: String
    /// Values outside the Kconfig ranges (115200...3000000, 1518...9018), said plainly.
    let problems: [String]

    init(sdkconfig settings: [String: String]) {
        let baud = settings["CONFIG_NETIF_UART_TUNNEL_BAUD_RATE"].flatMap { Int($0) } ?? 115_200
        let maxFrame = settings["CONFIG_UART_TUNNEL_MAX_FRAME"].flatMap { Int($0) } ?? WireFormat.maxFrameLength
        var problems: [String] = []
        if !(115_200...3_000_000).contains(baud) {
            problems.append("CONFIG_NETIF_UART_TUNNEL_BAUD_RATE \(baud) is outside the Kconfig range 115200...3000000")
        }
        if !WireFormat.maxFrameLimits.contains(maxFrame) {
            problems.append("CONFIG_UART_TUNNEL_MAX_FRAME \(maxFrame) is outside \(WireFormat.maxFrameLimits)")
        }
        self.baud = baud
        self.maxFrame = maxFrame
        self.problems = problems
        mtu = WireFormat.mtu(forMaxFrame: maxFrame)
        let rate = LineRate(baud: min(max(baud, 1), LineRate.maximumBaud))
        bytesPerSecond = rate.bytesPerSecond
        fullRecordMilliseconds = Double(rate.nanoseconds(forBytes: Int64(maxFrame + WireFormat.lengthPrefixSize))) / 1e6
        let jumbo = maxFrame == WireFormat.maxFrameLength ? "" : " --max-frame \(maxFrame)"
        deviceFlags = "uart-tunnel device --baud \(baud)\(jumbo)"
        bridgeFlags = "uart-tunnel bridge --serial /dev/ttyUSB0 --baud \(baud)\(jumbo)"
    }

    var summary: String {
        var lines = [
            "UART tunnel (firmware Kconfig): \(baud) baud 8N1 = \(Int(bytesPerSecond)) B/s; max frame \(maxFrame) "
                + "(lwIP MTU \(mtu)), a full record crosses in " + String(format: "%.2f ms", fullRecordMilliseconds),
            "  same line here: \(deviceFlags); to a board: \(bridgeFlags)",
        ]
        lines += problems.map { "  problem: \($0)" }
        return lines.joined(separator: "\n")
    }
}
