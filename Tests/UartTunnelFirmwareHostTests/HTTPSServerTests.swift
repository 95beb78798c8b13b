import Foundation
import Testing
import UartTunnelTestSupport
@testable import UartTunnelChecks
@testable import UartTunnelFirmwareHost

/// esp_https_server on the host (ESP-IDF v5.4's components/esp_https_server/src/https_server.c: httpd_ssl_start,
/// httpd_ssl_open, httpd_ssl_close, httpd_ssl_recv/send/pending; and esp_http_server's session transport API,
/// httpd_txrx.c httpd_sess_set_*_override and httpd_sess.c httpd_sess_set_transport_ctx), with Debian's mbedTLS,
/// reached by the kernel's curl through `uart-tunnel bridge` (tun0 192.168.100.1/24) inside a private network
/// namespace. The server certificate (CN/SAN 192.168.100.2) is signed by `Fixtures/https_project/main/certs/ca.pem`.
/// Root only; elsewhere skipped with the reason.
@Suite(.ownThreads) struct HTTPSServerTests {
    static var tool: String { BuiltExecutable.uartTunnel }
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let project = fixtures.appendingPathComponent("https_project").path
    static let certs = project + "/main/certs"
    static let repository = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A device with `arguments`, bridged to tun0 in a namespace of its own; `body` gets a curl runner once tun0
    /// has its address and the firmware has logged `ready` (its handlers registered: app_main runs beside the link).
    static func withBridgedDevice(tag: String, ready: String, _ arguments: [String],
                                  _ body: (_ curl: ([String]) throws -> (status: Int32, output: String),
                                           _ device: ChildProcess) throws -> Void) throws {
        try #require(FileManager.default.isExecutableFile(atPath: tool), "build uart-tunnel first: \(tool)")
        let namespace = try NetworkNamespace(tag: tag)
        let device = try namespace.start([tool, "device", "--listen", "127.0.0.1:5556", "--status-port", "0"] + arguments)
        defer { device.terminate() }
        _ = try FirmwareDeviceProcess.linkAddress(of: device)
        let bridge = try FirmwareDeviceProcess.bridge(namespace, to: device)
        defer { bridge.terminate() }
        try #require(device.waitForOutput(containing: ready, timeout: .seconds(60)), "\(device.output.suffix(2000))")
        try body({ try namespace.run(["curl", "-sS", "-m", "10"] + $0) }, device)
    }

    static func scratch(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("uart-tunnel-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Occurrences of `text` in the device's log.
    static func count(_ text: String, in output: String) -> Int { output.components(separatedBy: text).count - 1 }

    /// Whether a log line has `text` at ESP_LOGE's level ("E (<ms>) <tag>: …").
    static func errorLine(_ text: String, in output: String) -> Bool {
        output.split(separator: "\n").contains { $0.contains(text) && $0.hasPrefix("E (") }
    }

    /// `GET /counts` over the plain server (its sessions touch none of the counts): the firmware's user_cb and
    /// HTTPS_SERVER_EVENT tallies of the TLS server.
    static func counts(_ curl: ([String]) throws -> (status: Int32, output: String)) throws -> [String: Int] {
        let result = try curl(["http://192.168.100.2:8080/counts"])
        try #require(result.status == 0, "GET /counts: \(result.output)")
        var counts: [String: Int] = [:]
        for pair in result.output.split(whereSeparator: \.isWhitespace) {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { counts[parts[0]] = Int(parts[1].replacingOccurrences(of: "0x", with: ""), radix: parts[1].hasPrefix("0x") ? 16 : 10) }
        }
        return counts
    }

    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "namespace tests skipped: \(NetworkNamespace.unavailableReason ?? "")"))
    func theProjectServesTLSRejectsBadHandshakesAndKeepsServing() throws {
        let scratch = try Self.scratch("https-project")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try Self.withBridgedDevice(tag: "https", ready: "https_project: serving", ["--project", Self.project, "--build-dir", scratch + "/build",
                                                 "--nvs", scratch + "/nvs.txt"]) { curl, device in
            let log = { device.output.suffix(2500) }
            func httpsBody() throws -> Data {
                let file = scratch + "/body"
                try? FileManager.default.removeItem(atPath: file)
                let result = try curl(["--cacert", Self.certs + "/ca.pem", "-o", file, "https://192.168.100.2/"])
                try #require(result.status == 0, "curl --cacert: \(result.output)\n\(log())")
                return try #require(FileManager.default.contents(atPath: file))
            }
            // the handler's exact body, over TLS verified against the test CA (CN/SAN 192.168.100.2)
            #expect(try httpsBody() == Data("hello over TLS from https_project\n".utf8))

            // Without the CA curl refuses the certificate (exit 60) and aborts the handshake with an alert; the
            // server's esp_tls_server_session_create fails, httpd_ssl_open logs it under "esp_https_server" and
            // returns ESP_FAIL, so httpd drops that session.
            let unverified = try curl(["https://192.168.100.2/"])
            #expect(unverified.status == 60, "curl without the CA must fail verification: \(unverified.output)")
            #expect(device.waitForOutput(containing: "esp_https_server: esp_tls_create_server_session failed",
                                         timeout: .seconds(10)), "\(log())")
            #expect(Self.errorLine("esp_https_server: esp_tls_create_server_session failed, 0x", in: device.output))

            // A plain-HTTP client on 443 gets no HTTP answer: its request is not a TLS record, the handshake fails.
            let plain = try curl(["-i", "http://192.168.100.2:443/"])
            #expect(plain.status != 0 && !plain.output.contains("HTTP/1.1"), "\(plain.output)")
            let failures = { Self.count("esp_https_server: esp_tls_create_server_session failed", in: device.output) }
            let failureDeadline = ContinuousClock.now + .seconds(10)
            while failures() < 2 && ContinuousClock.now < failureDeadline { pause(.milliseconds(50)) }
            #expect(failures() == 2, "two failed handshakes logged:\n\(log())")
            #expect(Self.errorLine("httpd: httpd_accept_conn: session creation failed", in: device.output))

            // The server keeps serving TLS, and the plain server (transport_mode insecure) serves on port_insecure.
            #expect(try httpsBody() == Data("hello over TLS from https_project\n".utf8))
            let insecure = try curl(["http://192.168.100.2:8080/"])
            #expect(insecure.status == 0 && insecure.output == "hello over plain HTTP from https_project\n",
                    "\(insecure.output)")

            // What the firmware saw: two sessions created and (once curl has gone) closed through user_cb, two
            // HTTPS_SERVER_EVENT_ERROR events carrying ESP_ERR_MBEDTLS_SSL_HANDSHAKE_FAILED, ON_CONNECTED and
            // DISCONNECTED per session.
            var seen = try Self.counts(curl)
            let closeDeadline = ContinuousClock.now + .seconds(10)
            while seen["closed"] != 2 && ContinuousClock.now < closeDeadline {
                pause(.milliseconds(100))
                seen = try Self.counts(curl)
            }
            #expect(seen["created"] == 2 && seen["closed"] == 2, "\(seen)")
            #expect(seen["connected"] == 2 && seen["disconnected"] == 2, "\(seen)")
            #expect(seen["errors"] == 2 && seen["handshake_failed"] == 2, "\(seen)")
            // mbedTLS's reasons: curl's fatal alert after refusing the certificate, and a request that is no
            // ClientHello (MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE, MBEDTLS_ERR_SSL_BAD_HS_CLIENT_HELLO)
            #expect(Self.errorLine("esp-tls-mbedtls: mbedtls_ssl_handshake returned -0x7780", in: device.output))
            #expect(Self.errorLine("esp-tls-mbedtls: mbedtls_ssl_handshake returned -0x7900", in: device.output))
            #expect(device.output.contains("https_project: session on socket"), "user_cb at SESS_CREATE")
            #expect(device.isRunning)
        }
    }

    /// A `--driver` file that includes esp_https_server.h gets esp-tls and esp_https_server compiled in and mbedTLS
    /// linked: `Fixtures/runtime/https_app.c` with the fixture's PEMs as C strings (a header written here).
    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "namespace tests skipped: \(NetworkNamespace.unavailableReason ?? "")"))
    func aDriverFileServesTLSToo() throws {
        let scratch = try Self.scratch("https-driver")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        func literal(_ file: String) throws -> String {
            let text = try String(contentsOfFile: Self.certs + "/" + file, encoding: .utf8)
            return text.split(separator: "\n").map { "\"\($0)\\n\"" }.joined(separator: "\n")
        }
        try ("static const char servercert_pem[] =\n\(try literal("servercert.pem"));\n"
             + "static const char prvtkey_pem[] =\n\(try literal("prvtkey.pem"));\n")
            .write(toFile: scratch + "/https_app_certs.h", atomically: true, encoding: .utf8)
        let tunnel = Self.repository + "/firmware/main/components/netif_uart_tunnel"
        try Self.withBridgedDevice(tag: "httpsdrv", ready: "https_app: serving", ["--driver", tunnel + "/netif_uart_tunnel_sim.c",
                                                    "--driver", FirmwareDeviceProcess.fixture("runtime/https_app.c"),
                                                    "-I", tunnel + "/include", "-I", scratch]) { curl, device in
            let result = try curl(["--cacert", Self.certs + "/ca.pem", "https://192.168.100.2/"])
            #expect(result.status == 0 && result.output == "hello over TLS from a driver file\n",
                    "\(result.output)\n\(device.output.suffix(2000))")
        }
    }

    /// `--driver` files get esp-tls and esp_https_server compiled in only when one of them includes their headers.
    @Test func onlyADriverThatIncludesTheHeaderGetsTheTLSComponents() throws {
        let names = try FirmwareCompiler.hostComponentSources(for: [FirmwareDeviceProcess.fixture("runtime/https_app.c")])
            .map { URL(fileURLWithPath: $0).pathComponents.suffix(2).joined(separator: "/") }
        #expect(names == ["esp-tls/esp_tls_server.c", "esp_https_server/https_server.c"])
        #expect(try FirmwareCompiler.hostComponentSources(for: [FirmwareDeviceProcess.fixture("runtime/http_app.c")]).isEmpty)
    }

    /// httpd_ssl_start's own checks (create_secure_context): no server certificate is ESP_ERR_INVALID_ARG with
    /// v5.4's error line; session tickets, off in v5.4's default esp-tls configuration, ESP_ERR_NOT_SUPPORTED.
    @Test func httpdSslStartRefusesAMissingCertificateAndSessionTickets() throws {
        let scratch = try Self.scratch("https-checks")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try "static const char servercert_pem[] = \"\";\nstatic const char prvtkey_pem[] = \"\";\n"
            .write(toFile: scratch + "/https_app_certs.h", atomically: true, encoding: .utf8)
        let tunnel = Self.repository + "/firmware/main/components/netif_uart_tunnel"
        let device = try FirmwareDeviceProcess(["--driver", tunnel + "/netif_uart_tunnel_sim.c",
                                                "--driver", FirmwareDeviceProcess.fixture("runtime/https_app.c"),
                                                "-I", tunnel + "/include", "-I", scratch])
        defer { _ = device.child.terminate() }
        #expect(device.child.waitForOutput(containing: "https_app: tickets:", timeout: .seconds(30)), "\(device.output)")
        #expect(Self.errorLine("esp_https_server: No Server certificate supplied", in: device.output))
        #expect(device.output.contains("https_app: no certificate: ESP_ERR_INVALID_ARG"), "\(device.output)")
        #expect(Self.errorLine("esp_https_server: Failed to init session ticket support. error: ESP_ERR_NOT_SUPPORTED",
                               in: device.output))
        #expect(device.output.contains("https_app: tickets: ESP_ERR_NOT_SUPPORTED"), "\(device.output)")
    }
}
