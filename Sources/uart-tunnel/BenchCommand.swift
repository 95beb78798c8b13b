import ArgumentParser
import Foundation
import UartTunnelChecks
import UartTunnelDevice
import UartTunnelFirmwareHost
import UartTunnelLink
import UartTunnelLog
import UartTunnelSystem
import UartTunnelWire

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the codec, the capture, and the device over paced and unpaced lines. Build with -c release.",
        discussion: """
            Prints figures beside the physical model; it passes or fails nothing. The figures through the kernel \
            (HTTP GET and bulk TCP via `uart-tunnel bridge` and curl in a private network namespace) need root; \
            they are listed as skipped, with the reason, otherwise.
            """
    )

    @Option(help: "Megabytes of 1514-byte-frame records to decode (and to capture).")
    var megabytes: Int = 256

    @Option(help: "Kilobytes for the paced 115200 HTTP GET (1024 takes about 95 s; the figure is extrapolated).")
    var pacedKilobytes: Int = 128

    @Option(help: "Megabytes for the unpaced bulk TCP transfer (at most 16).")
    var bulkMegabytes: Int = 16

    @Option(help: "Pings per RTT figure.")
    var pings: Int = 20

    @Flag(help: "Only the codec and capture figures (no device, no kernel).")
    var codecOnly = false

    @Flag(help: "Only the paced serial-line figures: device --pty and bridge --serial at 115200, 921600 and 3000000 baud, 1518- and 9018-byte frames (root).")
    var serialOnly = false

    @Flag(help: "Leave out the wall time of `uart-tunnel check` (the main job).")
    var noCheck = false

    @Flag(help: "Only the fuzzing figures: execs/s of each fuzz target, the firmware's coverage, time to find each planted bug.")
    var fuzzOnly = false

    func run() throws {
        UartTunnelLogging.bootstrap(level: .error)
        var skipped: [String] = []
        if fuzzOnly {
            fuzzFigures()
            return
        }
        if serialOnly {
            if let reason = NetworkNamespace.unavailableReason { print("skipped: serial lines: \(reason)") } else {
                SerialLineBenchmark(tool: currentExecutable()).run()
            }
            return
        }
        let decode = DecodeBenchmark.run(megabytes: megabytes)
        let rate = Double(decode.bytes) / decode.seconds / 1e6
        print("decode: \(decode.bytes) bytes of 1514-byte frames in \(String(format: "%.3f", decode.seconds)) s = "
            + "\(String(format: "%.0f", rate)) MB/s  (a 115200 8N1 UART carries 0.0115 MB/s; 5 Mbaud 0.5 MB/s)")
        try captureBenchmarks()
        if codecOnly {
            print("skipped: device and kernel figures (--codec-only)")
            return
        }
        pingBenchmark(baud: 115_200)
        pingBenchmark(baud: nil)
        if !noCheck { checkAllTime() }
        testSuiteTime()
        fuzzFigures()
        projectStartTimes()
        if let reason = NetworkNamespace.unavailableReason {
            skipped.append("paced 115200 HTTP GET, unpaced bulk TCP through bridge + kernel: \(reason)")
        } else {
            pacedTransfer(baud: 115_200, bytes: pacedKilobytes * 1024)
            driverComparison(bytes: min(bulkMegabytes, 16) << 20)
            bridgeComparison(bytes: min(bulkMegabytes, 16) << 20)
            SerialLineBenchmark(tool: currentExecutable()).run()
        }
        for line in skipped { print("skipped: \(line)") }
    }

    /// Raw capture, pcapng capture (decoder + writer) and fault injection, each over the same saturated stream.
    private func captureBenchmarks() throws {
        let frame = (0..<1514).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var chunk: [UInt8] = []
        while chunk.count + 1516 <= 64 * 1024 { try RecordEncoder.append(frame, to: &chunk) }
        let total = max(1, megabytes / 4) << 20
        let rounds = total / chunk.count
        let directory = FileManager.default.temporaryDirectory.path
        for (name, raw, pcap) in [("raw capture", true, false), ("pcapng capture", false, true), ("raw + pcapng", true, true)] {
            let rawPath = "\(directory)/ut-bench-\(getpid()).bin"
            let pcapPath = "\(directory)/ut-bench-\(getpid()).pcapng"
            defer {
                try? FileManager.default.removeItem(atPath: rawPath)
                try? FileManager.default.removeItem(atPath: pcapPath)
            }
            let tap = try CaptureTap(rawPath: raw ? rawPath : nil, packetPath: pcap ? pcapPath : nil,
                                     packetFormat: .pcapng, rate: nil, frameTimeout: .seconds(1))
            let started = MonotonicTime.now()
            chunk.withUnsafeBytes { bytes in
                for _ in 0..<rounds { tap.record(.rx, bytes, at: .now) }
            }
            tap.close()
            let seconds = Double(MonotonicTime.now() - started) / 1e9
            print("\(name): \(rounds * chunk.count) bytes in \(String(format: "%.3f", seconds)) s = "
                + "\(String(format: "%.0f", Double(rounds * chunk.count) / seconds / 1e6)) MB/s (written to \(directory))")
        }
        var spec = FaultSpec()
        spec.loss = 0.01
        spec.dropByte = 1e-4
        spec.flipBit = 1e-6
        var injector = FaultInjector(spec: spec, seed: 1, direction: "bench")
        var out = 0
        let started = MonotonicTime.now()
        chunk.withUnsafeBytes { bytes in
            for _ in 0..<(rounds / 4) {
                injector.process(bytes, arrival: 0, instant: .now) { run, _ in out += run.count }
            }
        }
        let seconds = Double(MonotonicTime.now() - started) / 1e9
        print("fault injection (loss, drop-byte, flip-bit; shadow decoder per byte): \(rounds / 4 * chunk.count) bytes in "
            + "\(String(format: "%.3f", seconds)) s = \(String(format: "%.0f", Double(rounds / 4 * chunk.count) / seconds / 1e6)) MB/s")
    }

    /// Ping RTT against an in-process device over loopback TCP (no kernel on the host side).
    private func pingBenchmark(baud: Int?) {
        do {
            var configuration = DeviceConfiguration()
            configuration.listen = SocketAddress(host: "127.0.0.1", port: 0)
            if let baud { configuration.link.rate = LineRate(baud: baud) }
            let device = try TunnelDevice(configuration: configuration)
            try device.start()
            defer { device.stop() }
            let peer = try DevicePeer(connectingTo: device.link.address)
            var rtts: [Double] = []
            for sequence in 0..<max(1, pings) {
                let started = MonotonicTime.now()
                guard try peer.ping(identifier: 0xBE7C, sequence: UInt16(sequence)) != nil else { continue }
                rtts.append(Double(MonotonicTime.now() - started) / 1e6)
            }
            rtts.sort()
            guard !rtts.isEmpty else { print("ping: no replies"); return }
            let median = rtts[rtts.count / 2]
            if let baud {
                let floor = 2 * Double(LineRate(baud: baud).nanoseconds(forBytes: 100)) / 1e6
                print("paced \(baud) ping RTT (56-byte ping, 100 B on the wire each way): min \(String(format: "%.2f", rtts[0])) ms, "
                    + "median \(String(format: "%.2f", median)) ms, \(rtts.count)/\(pings) answered; model minimum "
                    + "\(String(format: "%.2f", floor)) ms (median +\(String(format: "%.2f", median - floor)) ms)")
            } else {
                print("unpaced ping RTT (loopback TCP peer, in-process device): min \(String(format: "%.3f", rtts[0])) ms, median "
                    + "\(String(format: "%.3f", median)) ms (QEMU's seed figure: 3-8 ms)")
            }
        } catch {
            print("ping benchmark failed: \(error)")
        }
    }

    /// `uart-tunnel check` (all suites) as a child, timed from start to its last line: the main job's wall time.
    private func checkAllTime() {
        do {
            let started = ContinuousClock.now
            let check = try ChildProcess([currentExecutable(), "check"])
            guard let status = check.wait(timeout: .seconds(300)) else {
                check.terminate()
                print("check all: did not end within 300 s")
                return
            }
            let elapsed = (ContinuousClock.now - started).components
            let seconds = String(format: "%.1f", Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
            let summary = check.output.split(separator: "\n").last { $0.contains(" passed, ") } ?? "no summary line"
            print("check all (`uart-tunnel check`, suites at once): \(seconds) s wall, exit \(status): \(summary)  "
                + "(target <= 15 s warm" + (NetworkNamespace.unavailableReason == nil ? ")" : "; namespace suites skipped: not root)"))
        } catch {
            print("check all: \(error)")
        }
    }

    /// `device --project firmware` from start to its "listening" line: cold (an empty build directory: CMake,
    /// Kconfig, compile, link) and warm (the same inputs: the build cache's object, nothing compiled).
    private func projectStartTimes() {
        let build = FileManager.default.temporaryDirectory.appendingPathComponent("ut-bench-project-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: build) }
        func start() throws -> (seconds: Double, cached: Bool) {
            let started = ContinuousClock.now
            let device = try ChildProcess([currentExecutable(), "device", "--listen", "127.0.0.1:0", "--status-port", "0",
                                           "--project", FirmwareHostPaths.firmwareDirectory, "--build-dir", build])
            defer { device.terminate() }
            guard device.waitForOutput(containing: "tunnel listening on", timeout: .seconds(120)) else {
                throw RuntimeError("the device did not start: \(device.output.suffix(500))")
            }
            let elapsed = (ContinuousClock.now - started).components
            return (Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18, device.output.contains("build cache hit"))
        }
        do {
            let cold = try start()
            let warm = try start()
            print("project firmware/ (`device --project firmware`, start to listening): cold build "
                + "\(String(format: "%.2f", cold.seconds)) s, warm start \(String(format: "%.2f", warm.seconds)) s"
                + (warm.cached && !cold.cached ? " (build cache hit)" : " (cache NOT used: cold \(cold.cached), warm \(warm.cached))"))
        } catch {
            print("project start: \(error)")
        }
    }

    /// The test suite's time as `scripts/test` last measured it (it runs `swift test`; the benchmark does not).
    private func testSuiteTime() {
        let path = RepositoryPaths.root.appendingPathComponent(".build/test-seconds").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            print("test suite: no figure yet (scripts/test writes \(path))")
            return
        }
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 3 else { return }
        print("test suite (`scripts/test`, swift test --skip-build, last run \(fields[1])): \(fields[0]) s wall, "
            + "exit \(fields[2])  (target <= 90 s)")
    }

    /// Unpaced kernel <-> device through each bridge, side by side: ping RTT (median, p99) and bulk TCP with the
    /// lwIP device, then each bridge alone (fake device flooding / being flooded) to show the bridge's own limit.
    /// Each device driver behind the same tap bridge: the Swift reference driver, and the in-repo firmware's C
    /// driver on the ESP-IDF host layer (its frames cross the host layer's UART model, probes and checks).
    private func driverComparison(bytes: Int) {
        let tool = currentExecutable()
        let bridge = [tool, "bridge", "--connect", "127.0.0.1:{port}", "--ifname", "{ifname}", "--log-level", "error"]
        let rows = [
            KernelBenchmark(tool: tool, pings: 500, bulkBytes: bytes).measure(name: "swift driver", bridge: bridge),
            KernelBenchmark(tool: tool, deviceArguments: ["--driver", "firmware"], pings: 500, bulkBytes: bytes,
                            httpPort: 8080).measure(name: "firmware driver", bridge: bridge),
        ]
        print("unpaced, kernel <-> device through the tap bridge, per driver, 500 pings at 2 ms, curl of GET /bytes/N:")
        print(KernelBenchmark.table(rows, bulkBytes: bytes))
    }

    private func bridgeComparison(bytes: Int) {
        let tool = currentExecutable()
        let ours = [tool, "bridge", "--connect", "127.0.0.1:{port}", "--ifname", "{ifname}", "--log-level", "error"]
        let bridges = [
            ("uart-tunnel bridge (tap)", ours),
            ("uart-tunnel bridge (tun)", ours + ["--mode", "tun"]),
            ("serial_tun_bridge.py (tun)", RepositoryPaths.pythonBridgeCommand),
        ]
        let benchmark = KernelBenchmark(tool: tool, pings: 500, bulkBytes: bytes)
        let rows = bridges.map { benchmark.measure(name: $0.0, bridge: $0.1) }
        print("unpaced, kernel <-> device (lwIP) through each bridge, 500 pings at 2 ms, curl of GET /bytes/N:")
        print(KernelBenchmark.table(rows, bulkBytes: bytes))

        let forwarding = BridgeForwardingBenchmark()
        let rates = bridges.map { forwarding.measure(bridge: $0.1) }
        print("the bridge alone, \(forwarding.frames) frames of 1514 B each way, median of \(forwarding.rounds) runs "
            + "(fake device <-> kernel UDP):")
        for ((name, _), rate) in zip(bridges, rates) {
            let mb = { (value: Double?) in value.map { String(format: "%7.1f MB/s", $0 / 1e6) } ?? "      -" }
            print("  \(name.padding(toLength: 28, withPad: " ", startingAt: 0)) device->kernel \(mb(rate.deviceToKernel))"
                + "   kernel->device \(mb(rate.kernelToDevice))" + (rate.note.isEmpty ? "" : "  (\(rate.note))"))
        }
        if let ours = rates[0].deviceToKernel, let python = rates[2].deviceToKernel,
           let oursIn = rates[0].kernelToDevice, let pythonIn = rates[2].kernelToDevice,
           let oursRTT = rows[0].pingMedianMs, let pythonRTT = rows[2].pingMedianMs {
            print(String(format: "tap bridge vs Python bridge: forwarding x%.1f device->kernel, x%.1f kernel->device "
                + "(target >= 5); median RTT with the lwIP device x%.2f (target <= 0.33)",
                ours / python, oursIn / pythonIn, oursRTT / pythonRTT))
        }
    }

    /// curl of GET /bytes/N from a paced device child through `uart-tunnel bridge` and the kernel, in a namespace.
    private func pacedTransfer(baud: Int, bytes: Int) {
        do {
            let namespace = try NetworkNamespace(tag: "bench")
            let device = try namespace.start([currentExecutable(), "device", "--listen", "127.0.0.1:5556",
                                              "--log-level", "info", "--baud", "\(baud)"])
            defer { device.terminate() }
            guard device.waitForOutput(containing: "listening on", timeout: .seconds(20)) else {
                print("bench: device did not start: \(device.output.suffix(300))")
                return
            }
            let bridge = try namespace.start([currentExecutable(), "bridge", "--connect", "127.0.0.1:5556", "--ifname", "tun0",
                                              "--log-level", "warn"])
            defer { bridge.terminate() }
            var up = false
            for _ in 0..<100 where !up {
                up = (try? namespace.run(["ip", "-o", "addr", "show", "dev", "tun0"]).output.contains("192.168.100.1/24")) ?? false
                if !up { pause(.milliseconds(100)) }
            }
            guard up else { print("bench: tun0 never came up: \(bridge.output.suffix(300))"); return }
            let curl = try namespace.run(["curl", "-sS", "-m", "600", "-o", "/dev/null", "-w",
                                          "%{size_download} %{time_total} %{time_starttransfer} %{size_header}",
                                          "http://192.168.100.2/bytes/\(bytes)"], timeout: .seconds(620))
            let parts = curl.output.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            guard curl.status == 0, parts.count == 4 else { print("bench: curl failed: \(curl.output)"); return }
            let (size, total, firstByte, header) = (parts[0], parts[1], parts[2], parts[3])
            // Steady state: what arrived after the first segment (headers + body start, one MSS) over the time it took.
            let goodput = (size + header - 1460) / max(total - firstByte, 1e-9)
            let limit = LineRate(baud: baud).bytesPerSecond * 1460 / 1516
            print("paced \(baud) HTTP GET \(Int(size)) B through bridge + kernel: \(String(format: "%.2f", total)) s total, "
                + "goodput \(String(format: "%.0f", goodput)) B/s after the first segment = "
                + "\(String(format: "%.1f", 100 * goodput / limit))% of the \(String(format: "%.0f", limit)) B/s TCP limit "
                + "(MSS 1460 in 1516 B on the wire); 1 MiB would take \(String(format: "%.0f", 1_048_576 / goodput)) s")
        } catch {
            print("bench: kernel transfer failed: \(error)")
        }
    }
}
