import Foundation
import Testing
import UartTunnelTestSupport
@testable import UartTunnelChecks

/// esp_http_server's session transport and contexts as ESP-IDF v5.4 has them (what esp_https_server builds on):
/// httpd_sess.c's httpd_sess_new (open_fn once the session exists, so it may override its transport),
/// httpd_sess_set_transport_ctx/get_transport_ctx, httpd_sess_get_ctx, httpd_sess_delete (close_fn, then
/// httpd_sess_clear_ctx: the session context, then the transport context), httpd_parse.c's httpd_req_new/
/// httpd_req_cleanup (req->sess_ctx kept across the connection's requests), httpd_txrx.c's
/// httpd_sess_set_send/recv/pending_override with httpd_default_send/recv, httpd_main.c's
/// httpd_get_global_transport_ctx. `Fixtures/runtime/httpd_transport.c`, reached by the kernel's curl through the
/// bridge in a private network namespace. Root only; elsewhere skipped with the reason.
@Suite(.ownThreads) struct HTTPSessionTransportTests {
    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "namespace tests skipped: \(NetworkNamespace.unavailableReason ?? "")"))
    func overridesAndContextsLiveAsLongAsTheConnection() throws {
        let tunnel = HTTPSServerTests.repository + "/firmware/main/components/netif_uart_tunnel"
        try HTTPSServerTests.withBridgedDevice(tag: "httpdtx", ready: "transport_app: serving", [
            "--driver", tunnel + "/netif_uart_tunnel_sim.c", "--driver", FirmwareDeviceProcess.fixture("runtime/httpd_transport.c"),
            "-I", tunnel + "/include"]) { curl, device in
            // two requests on one keep-alive connection
            let result = try curl(["http://192.168.100.2/visit", "http://192.168.100.2/visit"])
            try #require(result.status == 0, "\(result.output)\n\(device.output.suffix(1500))")
            let lines = result.output.split(separator: "\n").map(String.init)
            try #require(lines.count == 2, "\(result.output)")
            func field(_ line: String, _ name: String) -> Int? {
                line.split(separator: " ").first { $0.hasPrefix(name + "=") }.flatMap { Int($0.dropFirst(name.count + 1)) }
            }
            // the session context survives the first request; httpd_sess_get_ctx inside a handler is req->sess_ctx
            #expect(field(lines[0], "requests") == 1 && field(lines[1], "requests") == 2, "\(lines)")
            #expect(field(lines[0], "same") == 1 && field(lines[1], "same") == 1, "\(lines)")
            // every byte went through the overrides: the first request was received by counting_recv, the first
            // response (head and body) sent by counting_send before the second request ran; the pending override
            // was asked before each wait for data
            #expect((field(lines[0], "recv") ?? 0) >= 1 && (field(lines[1], "send") ?? 0) >= 2, "\(lines)")
            #expect((field(lines[0], "pending") ?? 0) >= 1, "\(lines)")
            #expect(device.output.contains("transport_app: open_fn: global transport ctx global"))

            // close: close_fn still sees both contexts, then the session context is freed, then the transport's
            #expect(device.waitForOutput(containing: "transport_app: transport ctx freed: per-connection",
                                         timeout: .seconds(10)), "\(device.output.suffix(1500))")
            let output = device.output
            let close = output.range(of: "transport_app: close_fn: transport ctx per-connection, 2 requests")
            let session = output.range(of: "transport_app: sess ctx freed: 2 requests")
            let transport = output.range(of: "transport_app: transport ctx freed: per-connection")
            try #require(close != nil && session != nil && transport != nil, "\(output.suffix(1500))")
            #expect(close!.lowerBound < session!.lowerBound && session!.lowerBound < transport!.lowerBound)
        }
    }
}
