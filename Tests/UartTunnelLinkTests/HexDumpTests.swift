import Foundation
import Testing
import UartTunnelChecks
import UartTunnelSystem
import UartTunnelTestSupport
@testable import UartTunnelLink
import UartTunnelWire

/// `decode` reads the hex text od, hexdump, xxd and tcpdump print (view_uart1.sh's two modes among them) as it reads
/// the bytes themselves: the real tools print a known stream, and the reports must equal the binary's.
@Suite(.serialized, .ownThreads)
struct HexDumpTests {
    /// 3 pings, an invalid length, 2 pings, 40 zero bytes (so od and hexdump squeeze lines), a ping.
    static var stream: [UInt8] {
        var bytes: [UInt8] = []
        for sequence in 1...3 { bytes += try! RecordEncoder.encode(PacketBuilder.icmpEchoRequest(sequence: UInt16(sequence))) }
        bytes += [0x00, 0x01]
        for sequence in 4...5 { bytes += try! RecordEncoder.encode(PacketBuilder.icmpEchoRequest(sequence: UInt16(sequence))) }
        bytes += [UInt8](repeating: 0, count: 40)
        bytes += try! RecordEncoder.encode(PacketBuilder.icmpEchoRequest(sequence: 6))
        return bytes
    }

    static func decode(_ data: [UInt8], plain: Bool) throws -> CaptureDecoding.Result {
        try CaptureDecoding.decode(data, plain: plain, direction: .rx, pcap: nil, format: .pcapng, frameTimeoutMs: nil)
    }

    @Test(arguments: [["od", "-An", "-tx1"], ["od", "-A", "x", "-t", "x1z", "-v"], ["od", "-tx1"], ["od", "-A", "d", "-tx1"],
                      ["hexdump", "-C"], ["xxd"], ["xxd", "-p"], ["xxd", "-g", "4"]])
    func theRealToolsTextDecodesLikeTheBytes(tool: [String]) throws {
        let path = Tools.temporaryPath("dump.bin")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.stream)))
        let printed = try ChildProcess.run(["/bin/sh", "-c", "exec \"$@\" 2>/dev/null", "sh"] + tool + [path])
        #expect(printed.status == 0, "\(tool) failed: \(printed.output)")
        let binary = try Self.decode(Self.stream, plain: true)
        let text = try Self.decode(Array(printed.output.utf8), plain: false)
        #expect(text.kind == .hexText)
        #expect(text.reports == binary.reports, "\(tool.joined(separator: " ")) printed:\n\(printed.output.prefix(400))")
        #expect(binary.reports.first?.frames == 6)
    }

    @Test func textThatIsNotAHexDumpSaysSo() {
        let text = Array("I (123) uart_tunnel: started\nhello world\n".utf8)
        let error = #expect(throws: RawCaptureFormat.FormatError.self) { try Self.decode(text, plain: false) }
        #expect(error?.description.contains("the input is text, not bytes") == true, "\(String(describing: error))")
        #expect(error?.description.contains("line 1") == true, "\(String(describing: error))")
    }

    @Test func squeezedLinesWithoutOffsetsAskForDashV() {
        let error = #expect(throws: RawCaptureFormat.FormatError.self) { try HexDumpReader(text: Array("00 01 02 03\n*\n00 01\n".utf8)) }
        #expect(error?.description.contains("-v") == true, "\(String(describing: error))")
    }

    @Test func hostOrderWordsAreRefused() {
        let error = #expect(throws: RawCaptureFormat.FormatError.self) { try HexDumpReader(text: Array("0000000 6200 0002 0000\n".utf8)) }
        #expect(error?.description.contains("host-order") == true, "\(String(describing: error))")
    }

    /// view_uart1.sh without arguments: tcpdump -X on loopback for the device's port. Both directions come back,
    /// told apart by the port, and the packets' times of day become the records' times.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tcpdump") && geteuid() == 0,
                   "needs root and tcpdump (apt install tcpdump)"))
    func tcpdumpTextOfTheTunnelPortDecodesBothDirections() throws {
        let device = try DeviceProcess([])
        let port = device.address.port
        // As view_uart1.sh runs it (its port filter simplified to the port: empty ACKs carry no hex payload).
        let sniffer = try ChildProcess(["tcpdump", "-i", "lo", "-nn", "-l", "-X", "-U", "tcp port \(port)"])
        defer { _ = sniffer.terminate() }
        try #require(sniffer.waitForOutput(containing: "listening on", timeout: .seconds(20)), "\(sniffer.output)")
        let peer = try DevicePeer(connectingTo: device.address)
        for sequence in 1...3 {
            try #require(try peer.ping(identifier: 0x7CD, sequence: UInt16(sequence)) != nil)
        }
        try peer.send(raw: [0x00, 0x02])
        try #require(try peer.ping(identifier: 0x7CD, sequence: 4) != nil)
        // Bounded wait until tcpdump has printed all four replies.
        var result: CaptureDecoding.Result?
        for _ in 0..<200 {
            let text = sniffer.output.split(separator: "\n").filter { !$0.hasPrefix("tcpdump:") }.joined(separator: "\n")
            result = try? CaptureDecoding.decode(Array(text.utf8), plain: false, direction: .tx, pcap: nil,
                                                 format: .pcapng, frameTimeoutMs: nil, devicePort: port)
            if result?.reports.last?.frames == 4 { break }
            usleep(50_000)
        }
        _ = device.stop()
        let reports = try #require(result?.reports, "tcpdump printed:\n\(sniffer.output.suffix(2000))")
        #expect(result?.kind == .hexText && result?.notes.first == "hex text (tcpdump)")
        #expect(reports.map(\.direction) == ["RX", "TX"])
        #expect(reports[0].frames == 4 && reports[0].badLengths.map(\.length) == [2], "\(reports)")
        #expect(reports[1].frames == 4, "\(reports)")
    }
}
