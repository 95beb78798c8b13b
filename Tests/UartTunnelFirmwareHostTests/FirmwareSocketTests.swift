import Foundation
import Testing
import UartTunnelTestSupport
@testable import UartTunnelChecks
@testable import UartTunnelFirmwareHost

/// A firmware's BSD socket calls reach lwIP behind the tunnel, never Linux, as in ESP-IDF v5.4 (lwip/sockets.h maps
/// socket()… to lwip_*; its Linux target's vfs_lwip.c and the chip's VFS send descriptors at or above
/// LWIP_SOCKET_OFFSET = FD_SETSIZE - CONFIG_LWIP_MAX_SOCKETS to lwIP). `Fixtures/sockets/socket_echo.c` is a UDP and
/// a TCP echo server in the shape of ESP-IDF's examples/protocols/sockets udp_server and tcp_server, plus an
/// esp_http_server handler that writes with send(httpd_req_to_sockfd(req), …); the kernel reaches all three through
/// `uart-tunnel bridge` inside a private network namespace. Root only; elsewhere skipped with the reason.
@Suite(.ownThreads) struct FirmwareSocketTests {
    static var tool: String { BuiltExecutable.uartTunnel }
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static var driverArguments: [String] {
        let tunnel = repository + "/firmware/main/components/netif_uart_tunnel"
        return ["--driver", tunnel + "/netif_uart_tunnel_sim.c",
                "--driver", FirmwareDeviceProcess.fixture("sockets/socket_echo.c"), "-I", tunnel + "/include"]
    }

    /// The descriptor rules, from the fixture's boot-time probes (no network needed): lwip_socket's ENFILE past the
    /// table (alloc_socket in lwIP's sockets.c, CONFIG_LWIP_MAX_SOCKETS on the chip), descriptors 960…1023
    /// (LWIP_SOCKET_OFFSET's range), lwip_close's EBADF for a socket already closed, select (lwip_select via
    /// vfs_lwip.c's __wrap_select) answering 0 at its timeout on an idle socket and, beside a pipe, only the
    /// pipe (esp_vfs_select waits on both kinds), lwip_socket/lwip_close interchangeable with socket/close (their
    /// numbers are the descriptors on the chip; lwIP's get_socket refuses one below LWIP_SOCKET_OFFSET with EBADF),
    /// and Linux's own descriptors (vfs_lwip.c's __real_write/__real_read/__real_close path) untouched.
    @Test func descriptorTableCloseTwiceSelectAndLinuxDescriptors() throws {
        let device = try FirmwareDeviceProcess(Self.driverArguments)
        defer { _ = device.child.terminate() }
        try #require(device.child.waitForOutput(containing: "probe started", timeout: .seconds(60)), "\(device.output)")
        func probe(_ name: String) -> String? { RuntimeFixtures.probe(device.output, name) }
        #expect(probe("table") == "opened 64 refused ENFILE fds 960-1023 closed 64", "\(device.output)")
        #expect(probe("close twice") == "0 -1 EBADF")
        #expect(probe("select idle") == "bind 0 select 0 still set 0")
        #expect(probe("select mixed") == "pipe 0 write 1 select 1 pipe set 1 socket set 0")
        #expect(probe("lwip names") == "lwip_socket in range close 0 lwip_close 0 lwip_close(1) -1 EBADF")
        #expect(probe("linux fds") == "write 36 fd below 960 read 8 close 0")
        // lwip_getaddrinfo's DNS query would cross the tunnel on the chip: the host's resolver answering is said,
        // once per name; a numeric address needs no DNS and is not mentioned
        #expect(probe("resolver") == "localhost 0 again 0 numeric 0 gethostbyname found", "\(device.output)")
        #expect(device.output.contains("getaddrinfo(\"localhost\") is answered by the host's resolver"), "\(device.output)")
        // once per name: neither the second getaddrinfo nor gethostbyname of it, nor the number, says it again
        #expect(device.output.components(separatedBy: "is answered by the host's resolver").count == 2, "\(device.output)")
        #expect(device.output.contains("probe stdout: written with write(1)\n"))
    }

    @Test(.enabled(if: NetworkNamespace.unavailableReason == nil,
                   "namespace tests skipped: \(NetworkNamespace.unavailableReason ?? "")"))
    func udpAndTcpEchoAndHttpdSendReachTheKernelThroughLwIP() throws {
        let namespace = try NetworkNamespace(tag: "fwsock")
        let device = try namespace.start([Self.tool, "device", "--listen", "127.0.0.1:5556"] + Self.driverArguments)
        defer { device.terminate() }
        _ = try FirmwareDeviceProcess.linkAddress(of: device)
        let bridge = try FirmwareDeviceProcess.bridge(namespace, to: device)
        defer { bridge.terminate() }
        for line in ["udp echo bound: fd ", "tcp echo listening: fd ", "msg echo bound: fd ", "probe started"] {
            try #require(device.waitForOutput(containing: line, timeout: .seconds(60)), "\(device.output.suffix(2000))")
        }

        // udp_server's loop: recvfrom, sendto back to the sender
        let udp = try Self.udpExchange(in: namespace, sending: "udp through lwip", to: 3333)
        #expect(udp == "echo udp through lwip 192.168.100.2 3333", "\(udp)\n\(device.output.suffix(1500))")

        // recvmsg/sendmsg (lwip/sockets.h maps them to lwip_recvmsg/lwip_sendmsg): the datagram scattered into two
        // iovecs with the sender in msg_name, the answer gathered from three to that name
        let msg = try Self.udpExchange(in: namespace, sending: "scattered", to: 3336)
        #expect(msg == "echo msg:scattered 192.168.100.2 3336", "\(msg)\n\(device.output.suffix(1500))")
        #expect(device.output.contains("msg echo: recvmsg 9 bytes from 192.168.100.1, sendmsg 13"), "\(device.output.suffix(1500))")

        // tcp_server's do_retransmit: recv/send until the client's end of stream, then shutdown and close
        let tcp = try namespace.run(["/usr/bin/python3", "-c", """
            import socket
            s = socket.create_connection(("192.168.100.2", 3334), timeout=10)
            s.sendall(b"tcp through lwip")
            s.shutdown(socket.SHUT_WR)
            got = b""
            while True:
                chunk = s.recv(256)
                if not chunk:
                    break
                got += chunk
            print("echo", got.decode(), "eof")
            """])
        #expect(tcp.output.trimmingCharacters(in: .whitespacesAndNewlines) == "echo tcp through lwip eof",
                "\(tcp.output)\n\(device.output.suffix(1500))")
        #expect(device.waitForOutput(containing: "probe: tcp echo closed: 0", timeout: .seconds(10)), "\(device.output)")
        let accepted = device.output.split(separator: "\n").first { $0.contains("tcp echo accepted: fd ") }
        #expect(accepted.map { $0.hasSuffix("local port 3334") && Self.socketDescriptor(in: String($0)) } == true,
                "\(accepted ?? "no accept line")")

        // httpd_req_to_sockfd (httpd_txrx.c) gives the session's descriptor; send() on it reaches the client
        let raw = try namespace.run(["curl", "-sS", "-m", "10", "http://192.168.100.2/raw"])
        #expect(raw.status == 0 && raw.output == "written by send\n", "\(raw.output)\n\(device.output.suffix(1500))")
        let sent = device.output.split(separator: "\n").first { $0.contains("probe raw send: fd ") }
        #expect(sent.map { $0.hasSuffix("sent 100") && Self.socketDescriptor(in: String($0)) } == true, "\(sent ?? "none")")

        // The servers' ports are lwIP's: no Linux socket holds them, here or in the root namespace. The device's
        // own Linux listener (the UART link, 5556) is seen, so ss looks where a stray firmware socket would be.
        let inside = try namespace.run(["ss", "-H", "-a", "-n", "-u", "-t"])
        try #require(inside.status == 0, "\(inside.output)")
        #expect(Self.localPorts(inside.output).contains(5556), "\(inside.output)")
        let outside = try ChildProcess.run(["ss", "-H", "-a", "-n", "-u", "-t"])
        for port in [3333, 3334, 3335, 3336] {
            #expect(!Self.localPorts(inside.output).contains(port), "port \(port) in the namespace: \(inside.output)")
            #expect(!Self.localPorts(outside.output).contains(port), "port \(port) in the root namespace")
        }
        #expect(device.terminate() == 0)
    }

    /// One list of wrapped names: FirmwareCompiler's flags (the `--driver` link and, through IDF_HOST_LINK_FLAGS,
    /// link.cmake's), the `__wrap_` functions of src/netif/socket_wraps.c and fuzz/build.sh's link agree.
    @Test func wrappedNamesAgreeEverywhere() throws {
        let names = Set(FirmwareCompiler.socketWrapNames)
        let wraps = try ["socket_wraps.c", "resolver_wraps.c"].map {
            try String(contentsOfFile: Self.repository + "/CShims/CEspIdfHost/src/netif/" + $0, encoding: .utf8)
        }.joined(separator: "\n")
        let defined = Set(Self.captures(#"(?m)^[a-z_ ]+\*?\s*__wrap_(\w+)\([^;]*\)\s*\{"#, in: wraps))
        #expect(defined == names, "socket_wraps.c and resolver_wraps.c define \(defined.sorted())")
        let script = try String(contentsOfFile: Self.repository + "/fuzz/build.sh", encoding: .utf8)
        let fuzz = Set(Self.captures(#"--wrap=(\w+)"#, in: script)).filter { !$0.hasPrefix("pthread_") }
        #expect(fuzz == names, "fuzz/build.sh wraps \(fuzz.sorted())")
        #expect(FirmwareCompiler.linkFlags.contains { $0.contains("--wrap=socket,") && $0.contains("--wrap=ioctl") })
    }

    /// One datagram from the kernel inside `namespace` to the device's `port`, and its answer: "echo TEXT HOST PORT"
    /// or "no answer" (bounded tries: the first waits for ARP).
    static func udpExchange(in namespace: NetworkNamespace, sending text: String, to port: Int) throws -> String {
        try namespace.run(["/usr/bin/python3", "-c", """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(2)
            for _ in range(5):
                s.sendto(b"\(text)", ("192.168.100.2", \(port)))
                try:
                    data, peer = s.recvfrom(256)
                    print("echo", data.decode(), peer[0], peer[1])
                    break
                except socket.timeout:
                    pass
            else:
                print("no answer")
            """]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func socketDescriptor(in line: String) -> Bool {
        guard let range = line.range(of: "fd "), let fd = Int(line[range.upperBound...].prefix { $0.isNumber }) else {
            return false
        }
        return (960...1023).contains(fd)
    }

    /// Local ports of `ss -H -n` lines (5th column "ADDR:PORT").
    static func localPorts(_ output: String) -> Set<Int> {
        Set(output.split(separator: "\n").compactMap { line in
            let columns = line.split(whereSeparator: \.isWhitespace)
            guard columns.count >= 5, let port = columns[4].split(separator: ":").last else { return nil }
            return Int(port)
        })
    }

    static func captures(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
