import Foundation
import Testing
@testable import UartTunnelChecks
import UartTunnelSystem
import UartTunnelTestSupport
import UartTunnelWire

/// AP + STA at once, as two tunnels (issue 11 item 4): a clean-room APSTA firmware (Fixtures/wifi/apsta_project, in
/// the manner of ESP-IDF v5.4's examples/wifi/softap_sta) whose station joins the scenario's "lab-ap" over UART1's
/// link and whose soft-AP runs on the second link (`device --ap-listen`). Two bridges in one namespace put the
/// kernel on both sides: tun0 (192.168.100.1/24, the station's side) and tun1 (192.168.4.2/24, MAC
/// 02:00:00:00:00:03: a station of the device's AP, 192.168.4.1/24 being v5.4's ESP_NETIF_DEFAULT_WIFI_AP address).
///
/// Events and payloads are v5.4's (esp_wifi_types_generic.h: wifi_event_ap_staconnected_t {mac, aid,
/// is_mesh_child}, wifi_event_ap_stadisconnected_t {…, reason}; esp_netif_types.h: ip_event_ap_staipassigned_t
/// {esp_netif, ip, mac}, which v5.4 posts from esp_netif_lwip.c's esp_netif_dhcps_cb — here from the station's first
/// frame inside the AP's subnet, the host having no DHCP server), read from the firmware's own handler lines.
/// Forwarding follows v5.4's lwipopts.h (IP_FORWARD only with CONFIG_LWIP_IP_FORWARD, default n): the same ping,
/// routed by the kernel through the AP toward tun0's side, must not come out on tun0 unless the project sets it.
@Suite(.ownThreads) struct WifiApStaTests {
    static let project = FirmwareDeviceProcess.fixture("wifi/apsta_project")
    static let stationMAC = "02:00:00:00:00:03"

    /// The address after `marker` in the device's log ("… listening on HOST:PORT …").
    static func address(after marker: String, in output: String) -> String? {
        output.components(separatedBy: marker).dropFirst().first?
            .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).first.map(String.init)
    }

    /// Records `[len_hi][len_lo][frame]` read from `socket` until `match` accepts a frame or 10 s pass.
    static func readFrame(from socket: Descriptor, where match: ([UInt8]) -> Bool) -> [UInt8]? {
        var stream: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            while stream.count >= 2, stream.count >= 2 + (Int(stream[0]) << 8 | Int(stream[1])) {
                let length = Int(stream[0]) << 8 | Int(stream[1])
                let frame = Array(stream[2..<(2 + length)])
                stream.removeFirst(2 + length)
                if match(frame) { return frame }
            }
            guard (try? socket.waitReadable(timeout: .milliseconds(200))) == true else { continue }
            guard let count = try? socket.read(into: &buffer), count > 0 else { return nil }
            stream += buffer.prefix(count)
        }
        return nil
    }

    /// A station of the AP without a kernel (no root needed): a loopback peer on the AP link is in range but not
    /// associated until it sends; its first frame (an ARP request from 192.168.4.9) associates it with that frame's
    /// source MAC, shows its address, and gets lwIP's ARP reply back as one record on the same link. It leaves with
    /// its connection (ASSOC_LEAVE, 8), and the next peer is a new station with its own MAC.
    @Test func aLinkPeerJoinsWithItsFirstFrameAndLeavesWithItsConnection() throws {
        let build = FileManager.default.temporaryDirectory.appendingPathComponent("apsta-peer-\(getpid())")
        defer { try? FileManager.default.removeItem(at: build) }
        let device = try FirmwareDeviceProcess(["--project", Self.project, "--build-dir", build.path,
                                                "--radio", WifiRadioTests.radio("lab"), "--ap-listen", "127.0.0.1:0"])
        defer { _ = device.child.terminate() }
        try #require(device.child.waitForOutput(containing: "EVENT AP_START", timeout: .seconds(30)),
                     "\(device.output.suffix(2000))")
        let apLink = try SocketAddress(parsing: try #require(Self.address(after: "soft-AP link listening on ",
                                                                          in: device.output)))
        for (index, mac) in ["02:00:00:00:00:07", "02:00:00:00:00:08"].enumerated() {
            let station = try #require(MACAddress(mac))
            let socket = try TCPSocket.connect(to: apLink, timeout: .seconds(5))
            let request = PacketBuilder.arpRequest(senderMAC: station, senderIP: try #require(IPv4Address("192.168.4.9")),
                                                   targetIP: try #require(IPv4Address("192.168.4.1")))
            try socket.writeAll(try RecordEncoder.encode(request))
            // lwIP's reply: ARP (0x0806), operation 2, to the station's MAC
            let reply = Self.readFrame(from: socket) { frame in
                frame.count >= 42 && frame[12] == 0x08 && frame[13] == 0x06 && frame[21] == 2
                    && Array(frame[0..<6]) == station.bytes
            }
            #expect(reply != nil, "no ARP reply on the AP link: \(device.output.suffix(2000))")
            #expect(device.child.waitForOutput(containing: "EVENT AP_STAIPASSIGNED ip=192.168.4.9 mac=\(mac) netif=ap",
                                               timeout: .seconds(10)), "\(device.output.suffix(2000))")
            let output = device.output
            #expect(output.contains("EVENT AP_STACONNECTED mac=\(mac) aid=1 mesh=0"), "\(output.suffix(2000))")
            #expect(output.components(separatedBy: "EVENT AP_STACONNECTED").count == index + 2, "one join per peer")
            socket.close()
            #expect(device.child.waitForOutput(containing: "EVENT AP_STADISCONNECTED mac=\(mac) aid=1 reason=8",
                                               timeout: .seconds(10)), "\(device.output.suffix(2000))")
        }
    }

    /// `--ap-listen` follows `--listen`'s rules, with one-line errors before anything is built.
    @Test func apListenMistakesAreOneLineErrors() throws {
        let project = ["--project", Self.project]
        let cases: [([String], String)] = [
            (["device"] + project + ["--ap-listen", "0.0.0.0:5560"], "--ap-listen 0.0.0.0:5560 is not a loopback address"),
            (["device"] + project + ["--ap-listen", "unix:"], "--ap-listen unix:PATH needs a path of"),
            (["device"] + project + ["--ap-listen", "nowhere"], "--ap-listen nowhere:"),
            (["device", "--ap-listen", "127.0.0.1:5560"], "--ap-listen apply to C drivers"),
            (["bridge", "--mac", "01:00:5e:00:00:01"], "--mac 01:00:5e:00:00:01 is not a unicast MAC address"),
        ]
        for (arguments, message) in cases {
            let run = try ChildProcess.run([FirmwareDeviceProcess.tool] + arguments, timeout: .seconds(30))
            #expect(run.status == 2, "\(arguments): \(run.output)")
            #expect(run.output.contains(message), "\(arguments): \(run.output)")
        }
    }

    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "namespace tests skipped: \(NetworkNamespace.unavailableReason ?? "")"),
          arguments: [false, true])
    func bothSidesAnswerAtOnceAndNothingCrossesUnlessTheFirmwareForwards(forwarding: Bool) throws {
        let tool = FirmwareDeviceProcess.tool
        let build = FileManager.default.temporaryDirectory.appendingPathComponent("apsta-\(getpid())-\(forwarding)")
        defer { try? FileManager.default.removeItem(at: build) }
        let namespace = try NetworkNamespace(tag: "apsta")
        let device = try namespace.start([tool, "device", "--listen", "127.0.0.1:0", "--project", Self.project,
                                          "--build-dir", build.path, "--radio", WifiRadioTests.radio("lab"),
                                          "--ap-listen", "127.0.0.1:0"]
                                         + (forwarding ? ["--set", "CONFIG_LWIP_IP_FORWARD=y"] : []))
        defer { _ = device.terminate() }
        let link = try FirmwareDeviceProcess.linkAddress(of: device)
        let apLink = try #require(Self.address(after: "soft-AP link listening on ", in: device.output),
                                  "\(device.output.suffix(2000))")
        let tun0 = try namespace.start([tool, "bridge", "--connect", link.description, "--ifname", "tun0"])
        defer { _ = tun0.terminate() }
        try #require(device.waitForOutput(containing: "EVENT GOT_IP ip=192.168.100.2", timeout: .seconds(30)),
                     "\(device.output.suffix(2000))")
        let tun1 = try namespace.start([tool, "bridge", "--connect", apLink, "--ifname", "tun1",
                                        "--address", "192.168.4.2/24", "--mac", Self.stationMAC])
        defer { _ = tun1.terminate() }
        for bridge in [tun0, tun1] {
            try #require(bridge.waitForOutput(containing: "connected to device", timeout: .seconds(10)), "\(bridge.output)")
        }

        // One curl, both requests in parallel: each side's answer names the address it came in on.
        var answer = ""
        for attempt in 0..<10 where !(answer.contains("192.168.100.2") && answer.contains("192.168.4.1")) {
            if attempt > 0 { pause(.milliseconds(200)) }
            answer = try namespace.run(["curl", "--no-progress-meter", "-m", "3", "--parallel", "--parallel-immediate",
                                        "http://192.168.100.2/", "http://192.168.4.1/"]).output
        }
        #expect(answer.contains("apsta-demo answered on 192.168.100.2"), "\(answer)\n\(device.output.suffix(2000))")
        #expect(answer.contains("apsta-demo answered on 192.168.4.1"), "\(answer)\n\(device.output.suffix(2000))")

        // The station is tun1: its MAC, then its address, with the soft-AP's own netif in the payload.
        let output = device.output
        #expect(output.contains("EVENT AP_STACONNECTED mac=\(Self.stationMAC) aid=1 mesh=0"), "\(output.suffix(2000))")
        #expect(output.contains("EVENT AP_STAIPASSIGNED ip=192.168.4.2 mac=\(Self.stationMAC) netif=ap"),
                "\(output.suffix(2000))")
        #expect(output.contains("STATION \(Self.stationMAC) rssi="), "esp_wifi_ap_get_sta_list: \(output.suffix(2000))")
        let joined = try #require(output.range(of: "EVENT AP_STACONNECTED"))
        #expect(output.range(of: "EVENT AP_START")!.lowerBound < joined.lowerBound)
        #expect(joined.lowerBound < output.range(of: "EVENT AP_STAIPASSIGNED")!.lowerBound)

        // The status pages, read through the AP (so tun0's side carries nothing of it), show the station.
        func softAP() throws -> [String: Any] {
            let curl = try namespace.run(["curl", "-sS", "-m", "10", "http://192.168.4.1:8080/api/status"])
            let status = try #require(try JSONSerialization.jsonObject(with: Data(curl.output.utf8)) as? [String: Any],
                                      "\(curl.output)")
            let radio = try #require(status["radio"] as? [String: Any], "\(status)")
            return try #require(radio["soft_ap"] as? [String: Any], "\(radio)")
        }
        let before = try softAP()
        let stations = before["stations"] as? [[String: Any]] ?? []
        #expect(stations.count == 1 && stations.first?["mac"] as? String == Self.stationMAC
                && stations.first?["ip"] as? String == "192.168.4.2", "\(before)")
        #expect(before["started"] as? Bool == true && before["peer_connected"] as? Bool == true, "\(before)")
        #expect((before["rx_frames"] as? Int ?? 0) > 0 && (before["tx_frames"] as? Int ?? 0) > 0, "\(before)")

        // The kernel routes 192.168.100.77 (tun0's subnet, nobody's address) through the AP. Whatever lwIP forwards
        // toward it goes out of the station netif: an ARP request for it, then the ping, on tun0.
        let capture = try namespace.start(["tcpdump", "-i", "tun0", "-n", "-l",
                                           "host 192.168.100.77 or (icmp and host 192.168.100.2)"])
        defer { _ = capture.terminate() }
        try #require(capture.waitForOutput(containing: "listening on tun0", timeout: .seconds(10)), "\(capture.output)")
        let route = try namespace.run(["ip", "route", "add", "192.168.100.77/32", "via", "192.168.4.1", "dev", "tun1"])
        try #require(route.status == 0, "\(route.output)")
        let pings = 3
        _ = try namespace.run(["ping", "-c", "\(pings)", "-i", "0.2", "-W", "1", "192.168.100.77"])
        let after = try softAP()
        let notForwarded = (after["not_forwarded"] as? Int ?? 0) - (before["not_forwarded"] as? Int ?? 0)
        // The pings reached the device through the AP (a causal count: lwIP looked up a forwarding route for each).
        #expect((after["rx_frames"] as? Int ?? 0) - (before["rx_frames"] as? Int ?? 0) >= pings, "\(after)")
        // A marker on tun0's side after them: anything lwIP sent out of the station netif for the pings is ahead of
        // its echo reply on UART1's link, so once the reply shows in the capture, the capture holds any leak.
        let marker = try namespace.run(["ping", "-c", "1", "-W", "5", "192.168.100.2"])
        #expect(marker.status == 0, "\(marker.output)")
        #expect(capture.waitForOutput(containing: "192.168.100.2 > 192.168.100.1: ICMP echo reply", timeout: .seconds(10)),
                "\(capture.output)")
        let leaked = capture.output.split(separator: "\n").filter { $0.contains("192.168.100.77") }
        if forwarding {
            #expect(notForwarded == 0, "\(after)")
            #expect(!leaked.isEmpty, "CONFIG_LWIP_IP_FORWARD=y: lwIP forwards toward tun0: \(capture.output)")
        } else {
            #expect(notForwarded >= pings, "lwIP refused to forward each ping: \(after)")
            #expect(leaked.isEmpty, "forwarded to tun0's side: \(leaked)")
        }

        // The station leaves with its bridge: AP_STADISCONNECTED (ASSOC_LEAVE, 8), and the AP's list is empty.
        _ = tun1.terminate()
        #expect(device.waitForOutput(containing: "EVENT AP_STADISCONNECTED mac=\(Self.stationMAC) aid=1 reason=8",
                                     timeout: .seconds(10)), "\(device.output.suffix(2000))")
        #expect(device.waitForOutput(containing: "STATIONS num=0", timeout: .seconds(10)), "\(device.output.suffix(2000))")
    }
}
