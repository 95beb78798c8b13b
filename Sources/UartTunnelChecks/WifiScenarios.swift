import Foundation

/// The scenarios of `check wifi` (`WifiSuite`), one rig each. Every wait is bounded and ends as soon as the
/// device's log shows the awaited event; figures are read from the device's own log clock.
struct WifiScenarios: Sendable {
    let suite: WifiSuite
    let directory: String
    /// The suite label of a scenario's results: "wifi (connect)" (ids stay `wifi.<check>`).
    static func label(_ scenario: String) -> String { "\(WifiSuite.name) (\(scenario))" }
    /// The first association of a station that scans and connects at start-up (after any build).
    static let firstConnectBound: Duration = .seconds(30)

    /// A scenario's rig on the good AP, or nil once every one of its checks has failed with why it could not start.
    private func startRig(_ tag: String, label name: String, checks: [String], into report: CheckReport) -> WifiRig? {
        do { return try suite.rig(tag, ap: suite.goodAP, directory: directory) } catch {
            for check in checks { report.run(name, check) { throw error } }
            return nil
        }
    }

    static let connectChecks = [
        "connect: STA_CONNECTED to the AP",
        "connect: GOT_IP with the radio's lease",
        "connect: kernel ping -c 5 192.168.100.2 through tun0: 0% loss",
        "connect: /api/status radio section says connected",
        "connect: soft-AP (AP_START)",
    ]

    func connect(into report: CheckReport) {
        let name = Self.label("connect")
        let checks = Self.connectChecks
        guard let rig = startRig("connect", label: name, checks: checks, into: report) else { return }
        defer { rig.stop() }
        report.run(name, checks[0]) {
            let connected = rig.waitFor(Self.firstConnectBound) { !$0.connections.isEmpty }
            let log = rig.log
            try require(connected, "no association with \"\(suite.ssid)\" within \(Self.firstConnectBound): "
                + "\(Self.describe(log))\(rig.context())")
            let first = log.attempts.first?.ms ?? 0
            return "\(suite.ssid) after \(log.connections[0].ms - first) ms, \(WifiLog.spacing(log.attempts))"
        }
        report.run(name, checks[1]) {
            let bound = ContinuousClock.now + .seconds(15)
            rig.waitFor(bound - .now) { !$0.leases.isEmpty }
            let log = rig.log
            guard let lease = log.leases.first, case .gotIP(let address) = lease.event else {
                throw CheckFailure("no IP_EVENT_STA_GOT_IP: \(Self.describe(log))\(rig.context())")
            }
            try require(address == WifiRig.stationAddress, "the lease is \(address), not \(WifiRig.stationAddress)")
            return "\(address) after \(lease.ms - (log.connections.first?.ms ?? lease.ms)) ms"
        }
        report.run(name, checks[2]) {
            try require(try rig.firstAnsweredPing(attempts: 10) != nil, "no answer to 10 pings\(rig.context())")
            let ping = try rig.ping(count: 5)
            try require(ping.lossPercent == 0, "\(ping.text)\(rig.context())")
            return ping.medianRTT.map { String(format: "median %.3f ms", $0) } ?? ""
        }
        var radio: [String: Any] = [:]
        report.run(name, checks[3]) {
            let status = try rig.status()
            radio = try Self.radioSection(status)
            try require(radio["state"] as? String == "connected" && radio["ssid"] as? String == suite.ssid,
                        "radio section: \(radio)")
            return "\(radio["mode"] ?? "?") connected, rssi \(radio["rssi"] ?? "?")"
        }
        report.run(name, checks[4]) {
            let mode = radio["mode"] as? String ?? ""
            let recent = radio["recent_events"] as? [String] ?? []
            // a report line: a station-only firmware has nothing to show here
            guard mode == "ap" || mode == "apsta" || recent.contains("AP_START") else {
                throw CheckSkip("the firmware started no soft-AP (Wi-Fi mode \(mode.isEmpty ? "unknown" : mode))")
            }
            try require(recent.contains("AP_START"), "mode \(mode) but no WIFI_EVENT_AP_START among \(recent)")
            return "AP_START, mode \(mode)"
        }
        DeviceLogFindings.report(rig.device, label: name, into: report)
    }

    static let apLostChecks = [
        "AP lost: STA_DISCONNECTED reason 200 (BEACON_TIMEOUT)",
        "AP back: the firmware reconnects by itself",
        "AP back: kernel ping answers again",
    ]

    /// The AP leaves the air once the station is connected and the kernel's ping answers; it comes back 5 s after
    /// the station lost it (the firmware's attempts meanwhile end in NO_AP_FOUND).
    func apLostAndBack(into report: CheckReport) {
        let name = Self.label("AP lost and back")
        let checks = Self.apLostChecks
        guard let rig = startRig("ap-lost", label: name, checks: checks, into: report) else { return }
        defer { rig.stop() }
        report.run(name, checks[0]) {
            try require(rig.waitFor(Self.firstConnectBound) { !$0.leases.isEmpty },
                        "never connected (see the connect scenario): \(Self.describe(rig.log))\(rig.context())")
            try require(try rig.firstAnsweredPing(attempts: 10) != nil, "no ping answered before the AP left\(rig.context())")
            try rig.radio("drop-ap", suite.ssid)
            // v5.4 default inactive time 6 s, then 5 probe requests; generous for a loaded machine
            let lost = rig.waitFor(.seconds(30)) { $0.disconnects.contains { $0.reason == WifiSuite.beaconTimeout } }
            let log = rig.log
            try require(lost, "no STA_DISCONNECTED reason 200 within 30 s of the AP leaving: \(Self.describe(log))"
                + rig.context())
            let left = log.lines.last { $0.event == .radio(ssid: suite.ssid, change: "AP off the air") }?.ms
            let disconnect = log.disconnects.first { $0.reason == WifiSuite.beaconTimeout }!.ms
            return "after \(disconnect - (left ?? disconnect)) ms without beacons"
        }
        report.run(name, checks[1]) {
            guard let lostAt = rig.log.disconnects.first(where: { $0.reason == WifiSuite.beaconTimeout })?.ms else {
                throw CheckSkip("the AP was never lost")
            }
            pause(.seconds(5))  // the outage: the firmware's attempts meanwhile find no AP
            let before = rig.log.leases.count
            try rig.radio("restore-ap", suite.ssid)
            let back = rig.waitFor(suite.reconnectBound) { $0.leases.count > before }
            let log = rig.log
            let returned = log.lines.last { $0.event == .radio(ssid: suite.ssid, change: "AP back on the air") }?.ms ?? 0
            let away = log.attempts.filter { $0.ms > lostAt && $0.ms < returned }
            let after = log.attempts.filter { $0.ms >= returned }
            try require(back, "no reconnect within \(suite.reconnectBound) after the AP came back: "
                + "\(away.count) attempt(s) while it was away, \(after.count) after it returned"
                + (away.isEmpty && after.isEmpty ? " (the firmware never called esp_wifi_connect after reason 200)" : "")
                + "; \(Self.describe(log))\(rig.context())")
            let lease = log.leases.last!.ms
            return "reconnected \(lease - returned) ms after the AP returned; while away \(WifiLog.spacing(away)); "
                + "\(after.count) after"
        }
        report.run(name, checks[2]) {
            guard rig.log.leases.count >= 2 else { throw CheckSkip("the station did not reconnect") }
            guard let ping = try rig.firstAnsweredPing(attempts: 10) else {
                throw CheckFailure("no answer to 10 pings after reassociation\(rig.context())")
            }
            return ping.medianRTT.map { String(format: "rtt %.3f ms", $0) } ?? "answered"
        }
        DeviceLogFindings.report(rig.device, label: name, into: report)
    }

    static let wrongPasswordChecks = [
        "wrong password (WPA2-PSK): 4WAY_HANDSHAKE_TIMEOUT 15, the firmware survives",
        "wrong password (WPA3-SAE): AUTH_FAIL 202, the firmware survives",
    ]

    /// The AP has another password than the firmware's: WPA2 gives up in the handshake (15), WPA3-SAE refuses at
    /// authentication (202).
    func wrongPassword(wpa3: Bool, into report: CheckReport) {
        let check = Self.wrongPasswordChecks[wpa3 ? 1 : 0]
        let name = Self.label(wpa3 ? "wrong password, WPA3" : "wrong password, WPA2")
        guard !suite.password.isEmpty else {
            report.skip(name, check, reason: "the firmware's AP is open (no password to get wrong)")
            return
        }
        var ap = suite.goodAP
        ap.password = WifiCheckAP.otherPassword(than: suite.password)
        ap.auth = wpa3 ? "wpa3-psk" : "wpa2-psk"
        failingAttempts(tag: wpa3 ? "wrong-password-wpa3" : "wrong-password-wpa2", ap: ap,
                        reason: wpa3 ? WifiSuite.authFail : WifiSuite.handshakeTimeout, label: name, check: check,
                        into: report)
    }

    static let noAPChecks = ["no AP: NO_AP_FOUND 201, the firmware survives"]

    func noAP(into report: CheckReport) {
        failingAttempts(tag: "no-ap", ap: nil, reason: WifiSuite.noAPFound, label: Self.label("no AP"),
                        check: Self.noAPChecks[0], into: report)
    }

    /// Watches a station that cannot connect: every attempt must end in `reason`, none may get a lease, and the
    /// firmware must still run (no crash, no defect) when the watch ends — after 3 attempts (2 gaps: back-off or not), or 15 s without a new
    /// one (it gave up), or 60 s. The figure is its attempts and their spacing.
    private func failingAttempts(tag: String, ap: WifiCheckAP?, reason: Int, label: String, check: String,
                                 into report: CheckReport) {
        report.run(label, check) {
            let rig = try suite.rig(tag, ap: ap, directory: directory)
            defer { rig.stop() }
            let end = ContinuousClock.now + .seconds(60)
            var lastCount = 0
            var lastChange = ContinuousClock.now
            var gaveUp = false
            while ContinuousClock.now < end, rig.device.isRunning {
                let count = rig.log.disconnects.count
                if count >= 3 { break }
                if count != lastCount { (lastCount, lastChange) = (count, .now) }
                if count > 0, ContinuousClock.now - lastChange > .seconds(15) {
                    gaveUp = true
                    break
                }
                pause(.milliseconds(100))
            }
            let log = rig.log
            let findings = DeviceLogFindings.named(in: rig.device.output)
            if let status = rig.device.exitStatus {
                throw CheckFailure("the device ended (status \(status)) after \(log.disconnects.count) attempts"
                    + (findings.isEmpty ? rig.context() : ": " + findings.joined(separator: "; ")))
            }
            try require(findings.isEmpty, findings.joined(separator: "; "))
            try require(!log.disconnects.isEmpty, "no STA_DISCONNECTED within 60 s: \(Self.describe(log))\(rig.context())")
            let others = log.disconnects.filter { $0.reason != reason }.map(\.reason)
            try require(others.isEmpty, "reasons \(others) besides \(reason): \(Self.describe(log))")
            try require(log.leases.isEmpty, "got an IP from an AP it should not reach: \(Self.describe(log))")
            return "reason \(reason): \(WifiLog.spacing(log.attempts))\(gaveUp ? ", then no attempt for 15 s" : "")"
        }
    }

    /// The Wi-Fi events seen, for a failure's reason.
    static func describe(_ log: WifiLog) -> String {
        let events = log.lines.suffix(12).map { line -> String in
            switch line.event {
            case .connecting(let ssid): "(\(line.ms)) connecting to \(ssid)"
            case .connected(let ssid): "(\(line.ms)) connected to \(ssid)"
            case .disconnected(_, let reason): "(\(line.ms)) disconnected, reason \(reason)"
            case .gotIP(let address): "(\(line.ms)) GOT_IP \(address)"
            case .radio(let ssid, let change): "(\(line.ms)) radio: \(ssid) \(change)"
            }
        }
        return events.isEmpty ? "no Wi-Fi event in the device's log (no esp_wifi_connect? the \"wifi\" tag's level "
            + "lowered below INFO?)" : "events " + events.joined(separator: ", ")
    }

    static func radioSection(_ status: [String: Any]) throws -> [String: Any] {
        guard let radio = status["radio"] as? [String: Any] else {
            throw CheckFailure("/api/status has no radio section (esp_wifi_init not called?)")
        }
        return radio
    }
}
