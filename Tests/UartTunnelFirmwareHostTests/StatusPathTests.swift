import UartTunnelTestSupport
import Foundation
import Synchronization
import Testing
@testable import UartTunnelChecks

/// Both drivers' `/api/status` come from one path (`TunnelDevice` → `LwIPHTTPServer` + `StatusPages` with one
/// `DeviceStatus`) and the link's counters from the link itself: the same fields for the Swift driver (port 80) and
/// the firmware driver (the toolkit's port 8080; port 80 is the firmware's own web server), and on the firmware
/// driver counters only the link keeps (bytes in, connections, tx.dropped_peer_not_reading) are live. Fetched by the
/// kernel's curl inside a private namespace through `uart-tunnel bridge`, as the kernel suites reach the device's lwIP.
@Suite(.ownThreads) struct StatusPathTests {
    static var tool: String { BuiltExecutable.uartTunnel }

    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "namespace tests skipped: \(NetworkNamespace.unavailableReason ?? "")"))
    func bothDriversServeTheSameLinkFieldsFromTheLink() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.tool), "build uart-tunnel first: \(Self.tool)")
        // Each device in its own namespace, both at once.
        let runs: [(tag: String, driver: [String], port: Int)] = [("stsw", [], 80), ("stfw", ["--driver", "firmware"], 8080)]
        let bodies = Mutex<[Int: Result<String, any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: runs.count) { index in
            let run = runs[index]
            let body = Result { try Self.statusAfterPing(tag: run.tag, driver: run.driver, port: run.port) }
            bodies.withLock { $0[index] = body }
        }
        func json(_ index: Int) throws -> [String: Any] {
            let body = try #require(bodies.withLock { $0[index] }).get()
            return try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                                "not JSON: \(body.prefix(300))")
        }
        let swift = try json(0)
        let firmware = try json(1)

        #expect(swift["driver"] as? String == "swift")
        #expect(firmware["driver"] as? String == "firmware")
        // `heap` is the firmware's bounded heap (--heap-kb): the Swift driver has none
        let swiftFields = Self.fieldPaths(swift)
        let firmwareFields = Self.fieldPaths(firmware).filter { $0 != "heap" && !$0.hasPrefix("heap.") }
        #expect(Self.fieldPaths(firmware).contains("heap.in_use_bytes"))
        #expect(swiftFields == firmwareFields,
                "only swift: \(swiftFields.subtracting(firmwareFields).sorted()); only firmware: \(firmwareFields.subtracting(swiftFields).sorted())")
        for field in ["tx.dropped_peer_not_reading", "tx.without_peer", "tx.write_errors", "tx.cut_at_peer_change",
                      "connections", "peer_connected", "link.bytes_in", "link.bytes_out", "link.mode"] {
            #expect(firmwareFields.contains(field), "firmware /api/status lacks \(field): \(firmware)")
        }
        // Counters only the link knows, live on the firmware driver's page.
        let link = try #require(firmware["link"] as? [String: Any], "\(firmware)")
        #expect((link["bytes_in"] as? Int ?? 0) > 0, "link.bytes_in after ping and HTTP: \(link)")
        #expect((link["bytes_out"] as? Int ?? 0) > 0, "link.bytes_out after ping and HTTP: \(link)")
        #expect((firmware["connections"] as? Int ?? 0) >= 1, "\(firmware)")
        #expect(firmware["peer_connected"] as? Bool == true, "\(firmware)")
        #expect(((firmware["tx"] as? [String: Any])?["dropped_peer_not_reading"] as? Int) == 0, "\(firmware)")
    }

    /// Starts the device and a bridge in a namespace of their own, pings the device and returns its /api/status.
    static func statusAfterPing(tag: String, driver: [String], port: Int) throws -> String {
        let namespace = try NetworkNamespace(tag: tag)
        let device = try namespace.start([tool, "device", "--listen", "127.0.0.1:5556"] + driver)
        defer { device.terminate() }
        _ = try ChildDevice.listeningAddress(of: device, name: driver.isEmpty ? "device" : "firmware")
        let bridge = try namespace.start([tool, "bridge", "--connect", "127.0.0.1:5556", "--ifname", "tun0"])
        defer { bridge.terminate() }
        func context() -> String { "\n--- device ---\n\(device.output.suffix(1500))\n--- bridge ---\n\(bridge.output.suffix(500))" }
        let deadline = ContinuousClock.now + .seconds(10)
        var up = false
        while !up && ContinuousClock.now < deadline {
            up = try namespace.run(["ip", "-o", "addr", "show", "dev", "tun0"]).output.contains("192.168.100.1/24")
            if !up { pause(.milliseconds(100)) }
        }
        guard up else { throw CheckFailure("tun0 never came up\(context())") }
        let ping = try namespace.run(["ping", "-c", "1", "-W", "10", "192.168.100.2"])
        guard ping.status == 0 else { throw CheckFailure("ping failed: \(ping.output)\(context())") }
        let curl = try namespace.run(["curl", "-sS", "-m", "10", "http://192.168.100.2:\(port)/api/status"])
        guard curl.status == 0 else { throw CheckFailure("curl :\(port)/api/status failed: \(curl.output)\(context())") }
        return curl.output
    }

    /// Every key path of the JSON ("tx.dropped_peer_not_reading", "link.rx.paced", …); a driver's defect names are
    /// values, not fields.
    static func fieldPaths(_ object: [String: Any], prefix: String = "") -> Set<String> {
        var paths: Set<String> = []
        for (key, value) in object {
            let path = prefix + key
            paths.insert(path)
            if let nested = value as? [String: Any], path != "defects" {
                paths.formUnion(fieldPaths(nested, prefix: path + "."))
            }
        }
        return paths
    }
}
