import Foundation
import Testing
import UartTunnelTestSupport
@testable import UartTunnelChecks

/// esp_http_server as web firmware uses it (ESP-IDF v5.4's httpd_uri.c, httpd_parse.c, httpd_txrx.c,
/// httpd_sess.c), seen by the kernel's curl through `uart-tunnel bridge` inside a private network namespace:
/// `Fixtures/runtime/http_app.c` over the in-repo UART tunnel driver. Root only; elsewhere skipped with the reason.
@Suite(.ownThreads) struct RuntimeHTTPServerTests {
    static var tool: String { BuiltExecutable.uartTunnel }
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static var driverArguments: [String] {
        let tunnel = repository + "/firmware/main/components/netif_uart_tunnel"
        return ["--driver", tunnel + "/netif_uart_tunnel_sim.c", "--driver", FirmwareDeviceProcess.fixture("runtime/http_app.c"),
                "-I", tunnel + "/include"]
    }

    /// Boot-time answers of the pure functions, from the firmware's log.
    @Test func wildcardMatchingAndRegistrationFollowESPIDF() throws {
        let device = try FirmwareDeviceProcess(Self.driverArguments)
        defer { _ = device.child.terminate() }
        try #require(device.child.waitForOutput(containing: "probe limits:", timeout: .seconds(60)), "\(device.output)")
        func probe(_ name: String) -> String? { RuntimeFixtures.probe(device.output, name) }
        // httpd_uri_match_wildcard: only the template's end is special
        let matches = ["match /api/* /api/x/y": "1", "match /api/* /api": "0", "match /api/* /api/": "1",
                       "match /led? /le": "1", "match /led? /led": "1", "match /led? /leds": "0",
                       "match /led?* /ledstrip": "1", "match /led?* /lex": "0", "match /a*b /axb": "0",
                       "match /a*b /a*b": "1", "match /exact /exact": "1", "match /exact /exactly": "0"]
        for (name, expected) in matches {
            #expect(probe(name) == expected, "\(name)")
        }
        #expect(device.output.contains(" probe: probe match ? : 0"), "a lone \"?\" matches nothing")
        // httpd_register_uri_handler: a URI the wildcard already covers is a duplicate; the sixth slot is refused
        #expect(probe("register /files/again 1") == "ESP_ERR_HTTPD_HANDLER_EXISTS")
        #expect(probe("register /restart 3") == "ESP_OK" && probe("register /sixth 1") == "ESP_ERR_HTTPD_HANDLERS_FULL")
        // the Kconfig defaults of v5.4 when the firmware's sdkconfig sets none
        #expect(probe("limits") == "hdr=512 uri=512")
    }

    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "namespace tests skipped: \(NetworkNamespace.unavailableReason ?? "")"))
    func requestsBodiesHeadersChunksErrorsAndLRUPurgeOverTheKernel() throws {
        let namespace = try NetworkNamespace(tag: "httpd")
        // the toolkit's status pages on lwIP port 8080 (the default), for /api/status after esp_restart
        let device = try namespace.start([Self.tool, "device", "--listen", "127.0.0.1:5556"] + Self.driverArguments)
        defer { device.terminate() }
        _ = try FirmwareDeviceProcess.linkAddress(of: device)
        let bridge = try FirmwareDeviceProcess.bridge(namespace, to: device)
        defer { bridge.terminate() }
        // app_main runs beside the link: its last line says every handler is registered
        try #require(device.waitForOutput(containing: "probe limits:", timeout: .seconds(60)), "\(device.output.suffix(2000))")
        let base = "http://192.168.100.2"
        func curl(_ arguments: [String]) throws -> String {
            let result = try namespace.run(["curl", "-sS", "-m", "10"] + arguments)
            try #require(result.status == 0, "curl \(arguments): \(result.output)\n\(device.output.suffix(1500))")
            return result.output
        }

        // A body read with httpd_req_recv, a request header, a status and a header of the handler's own
        let echo = try curl(["-i", "-X", "POST", "-H", "Content-Type: text/plain", "--data-binary", "hello body",
                             base + "/api/echo"])
        #expect(echo.hasPrefix("HTTP/1.1 201 Created\r\n"), "\(echo)")
        #expect(echo.contains("\r\nX-Probe: echo\r\n") && echo.contains("\r\nContent-Type: application/json\r\n"))
        #expect(echo.hasSuffix("{\"length\":10,\"body\":\"hello body\",\"type\":\"text/plain\",\"type_length\":10}"), "\(echo)")

        // OPTIONS is a method like the others
        let options = try curl(["-i", "-X", "OPTIONS", base + "/api/echo"])
        #expect(options.hasPrefix("HTTP/1.1 204 No Content\r\n") && options.contains("\r\nAllow: POST, OPTIONS\r\n"),
                "\(options)")

        // A wildcard URI, its query string, a chunked answer
        let files = try curl(["-i", base + "/files/a/b.txt?x=1&name=ada"])
        #expect(files.contains("\r\nTransfer-Encoding: chunked\r\n"), "\(files)")
        #expect(files.hasSuffix("\r\n\r\nfiles:/files/a/b.txt?x=1&name=ada name=ada"), "\(files)")
        #expect(try curl([base + "/le"]) == "led" && curl([base + "/led"]) == "led")

        // The custom 404 handler answered with ESP_OK: the connection stays for the next request
        let twice = try namespace.run(["curl", "-sv", "-m", "10", base + "/nope", base + "/led"])
        #expect(twice.output.contains("custom 404") && twice.output.contains("led"), "\(twice.output)")
        #expect(twice.output.contains("Re-using existing connection"), "\(twice.output)")
        // 405: the URI exists, the method does not
        #expect(try curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", base + "/api/echo"]) == "405")

        // CONFIG_HTTPD_MAX_URI_LEN / CONFIG_HTTPD_MAX_REQ_HDR_LEN (512 each by default)
        let longPath = "/files/" + String(repeating: "u", count: 600)
        #expect(try curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", base + longPath]) == "414")
        let bigHeader = try namespace.run(["curl", "-sS", "-m", "10", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                                           "X-Big: " + String(repeating: "h", count: 600), base + "/led"])
        #expect(bigHeader.output == "431", "\(bigHeader.output)\n\(device.output.suffix(800))")

        // max_open_sockets 2 with lru_purge_enable: a third client is served and the least recently used
        // connection is closed for it (without the purge the third would wait in the backlog: its read times out).
        let script = """
            import socket
            def connect():
                return socket.create_connection(("192.168.100.2", 80), timeout=8)
            def get(s):
                s.sendall(b"GET /led HTTP/1.1\\r\\nHost: d\\r\\n\\r\\n")
                return s.recv(4096)
            a = connect()
            b = connect()
            print("b", get(b).split(b"\\r\\n")[0].decode())
            c = connect()
            print("c", get(c).split(b"\\r\\n")[0].decode())
            print("a closed", a.recv(10) == b"")
            """
        let lru = try namespace.run(["/usr/bin/python3", "-c", script])
        #expect(lru.output.contains("b HTTP/1.1 200 OK") && lru.output.contains("c HTTP/1.1 200 OK"),
                "\(lru.output)\n\(device.output.suffix(1000))")
        #expect(lru.output.contains("a closed True"), "\(lru.output)")

        // esp_restart from a handler: the chip resets (the answer may be lost with it, as on an ESP32 whose TCP
        // stack resets before it sent it), and the toolkit's /api/status of the new process counts the restart
        // (bounded polling: its lwIP is up once the second app_main has run)
        #expect(device.output.contains("probe reset reason: 1"))
        _ = try namespace.run(["curl", "-sS", "-m", "5", "-X", "POST", base + "/restart"])
        // the new process compiles the firmware again before its ROM line (seconds under load)
        #expect(device.waitForOutput(containing: RuntimeFixtures.softwareReset, timeout: .seconds(90)))
        var restarts: Int?
        let statusDeadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < statusDeadline {
            let status = try namespace.run(["curl", "-sS", "-m", "2", base + ":8080/api/status"])
            // the old process may still answer (restarts 0) until its firmware task has called esp_restart
            if status.status == 0, let object = try? JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any] {
                restarts = object["restarts"] as? Int
                if restarts == 1 { break }
            }
            pause(.milliseconds(200))
        }
        #expect(restarts == 1, "\(device.output.suffix(1500))")
        // the toolkit's page answers before the second app_main has registered its handlers: wait for its last line
        #expect(eventually(within: .seconds(30)) { device.output.components(separatedBy: "probe limits:").count == 3 },
                "\(device.output.suffix(1500))")
        #expect(device.output.contains("probe reset reason: 3"), "ESP_RST_SW after esp_restart")
        #expect(try curl([base + "/led"]) == "led", "the restarted firmware serves again")
    }

    // esp_https_server (Fixtures/runtime/https_app.c): HTTPSServerTests.
}
