import Foundation
import UartTunnelChecks
import UartTunnelLink
import UartTunnelWire

/// Paced serial lines end to end, each figure beside its line-rate model: `device --pty --baud B --max-frame M`
/// and `bridge --serial … --baud B --max-frame M` in a namespace, the kernel's ping and curl on the host side.
///
/// ```
///  ping RTT model:    2 × (frame + 2) bytes × bits-per-character / baud     (request and reply cross one by one)
///  goodput model:     baud / 10 × 1460 / 1516  (every TCP segment: MSS 1460 in a 1514-byte frame + 2-byte length)
/// ```
///
/// lwIP's TCP segments stay at Debian's TCP_MSS (1460) whatever the MTU, so 9018-byte frames change the ping
/// (one big ICMP datagram) but not HTTP: said in the output, not hidden.
struct SerialLineBenchmark {
    let tool: String
    let pings = 5
    /// Seconds of line time each HTTP transfer should take at its rate.
    let transferSeconds = 4.0

    struct Row {
        let baud: Int
        let maxFrame: Int
        let pingFrame: Int
        let rttMs: Double?
        let rttModelMs: Double
        let goodput: Double?
        let goodputModel: Double
        let note: String
    }

    func measure(baud: Int, maxFrame: Int) -> Row {
        let rate = LineRate(baud: baud)
        let mtu = WireFormat.mtu(forMaxFrame: maxFrame)
        let pingPayload = maxFrame == WireFormat.maxFrameLength ? 56 : mtu - 28
        let pingFrame = pingPayload + 42
        let rttModel = 2 * Double(rate.nanoseconds(forBytes: Int64(pingFrame + 2))) / 1e6
        let goodputModel = rate.bytesPerSecond * 1460 / 1516
        var row = Row(baud: baud, maxFrame: maxFrame, pingFrame: pingFrame, rttMs: nil, rttModelMs: rttModel,
                      goodput: nil, goodputModel: goodputModel, note: "")
        do {
            let namespace = try NetworkNamespace(tag: "serial-bench")
            let link = FileManager.default.temporaryDirectory.appendingPathComponent("ut-\(namespace.name).pty").path
            let device = try namespace.start([tool, "device", "--pty", "--pty-link", link, "--baud", "\(baud)",
                                              "--max-frame", "\(maxFrame)", "--frame-timeout-ms", "3000", "--log-level", "warn"])
            defer { device.terminate() }
            guard device.waitForOutput(containing: "UART1 pty:", timeout: .seconds(20)) else {
                throw RuntimeError("device did not start: \(device.output.suffix(300))")
            }
            let bridge = try namespace.start([tool, "bridge", "--serial", link, "--baud", "\(baud)", "--max-frame",
                                              "\(maxFrame)", "--ifname", "tun0", "--log-level", "info"])
            defer { bridge.terminate() }
            guard bridge.waitForOutput(containing: "connected to device", timeout: .seconds(20)) else {
                throw RuntimeError("bridge did not connect: \(bridge.output.suffix(300))")
            }
            // One ping first: the kernel's ARP for the device and lwIP's first reply are not part of the figure.
            _ = try namespace.run(["ping", "-c", "1", "-W", "5", "192.168.100.2"], timeout: .seconds(20))
            // One ping at a time: an interval shorter than the RTT (a 9014-byte frame takes 0.78 s each way at
            // 115200) would queue requests behind each other on the line and measure the queue, not the line.
            let interval = String(format: "%.2f", max(0.2, 1.5 * rttModel / 1000))
            let ping = PingOutput(try namespace.run(
                ["ping", "-c", "\(pings)", "-i", interval, "-W", "5", "-s", "\(pingPayload)", "-M", "do", "192.168.100.2"],
                timeout: .seconds(120)).output)
            let rtts = ping.rtts.sorted()
            let bytes = Int(rate.bytesPerSecond * transferSeconds)
            let curl = try namespace.run(["curl", "-sS", "-m", "300", "-o", "/dev/null", "-w",
                                          "%{size_download} %{time_total} %{time_starttransfer} %{size_header}",
                                          "http://192.168.100.2/bytes/\(bytes)"], timeout: .seconds(320))
            let parts = curl.output.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            var goodput: Double?
            if curl.status == 0, parts.count == 4 {
                // Steady state, as the TCP figure above: what came after the first segment over the time it took.
                goodput = (parts[0] + parts[3] - 1460) / max(parts[1] - parts[2], 1e-9)
            }
            row = Row(baud: baud, maxFrame: maxFrame, pingFrame: pingFrame, rttMs: rtts.isEmpty ? nil : rtts[rtts.count / 2],
                      rttModelMs: rttModel, goodput: goodput, goodputModel: goodputModel,
                      note: curl.status == 0 ? "" : "curl: \(curl.output.prefix(120))")
        } catch {
            row = Row(baud: baud, maxFrame: maxFrame, pingFrame: pingFrame, rttMs: nil, rttModelMs: rttModel,
                      goodput: nil, goodputModel: goodputModel, note: "\(error)")
        }
        return row
    }

    func run() {
        print("paced serial line (device --pty, bridge --serial, kernel ping/curl), 8N1, each beside its model:")
        print("  baud     max frame  ping frame  RTT median / model (diff)         HTTP goodput / model (diff)")
        for baud in [115_200, 921_600, 3_000_000] {
            for maxFrame in [WireFormat.maxFrameLength, WireFormat.maxJumboFrameLength] {
                let row = measure(baud: baud, maxFrame: maxFrame)
                let rtt = row.rttMs.map {
                    String(format: "%9.2f / %9.2f ms (%+5.1f%%)", $0, row.rttModelMs, 100 * ($0 - row.rttModelMs) / row.rttModelMs)
                } ?? "        -"
                let goodput = row.goodput.map {
                    String(format: "%9.0f / %9.0f B/s (%+5.1f%%)", $0, row.goodputModel, 100 * ($0 - row.goodputModel) / row.goodputModel)
                } ?? "        -"
                print("  \(String(row.baud).padding(toLength: 8, withPad: " ", startingAt: 0)) \(row.maxFrame)       "
                    + "\(String(row.pingFrame).padding(toLength: 10, withPad: " ", startingAt: 0)) \(rtt)   \(goodput)"
                    + (row.note.isEmpty ? "" : "  \(row.note)"))
            }
        }
        print("  (TCP stays at lwIP's TCP_MSS 1460 with 9018-byte frames: Debian's liblwip is built with it, so only "
            + "large UDP/ICMP datagrams use jumbo frames)")
    }
}
