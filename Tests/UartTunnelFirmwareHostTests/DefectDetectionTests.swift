import UartTunnelTestSupport
import Foundation
import Testing
@testable import UartTunnelChecks
import UartTunnelWire

/// Each defective build of `Fixtures/defective/defective_tunnel.c` gets traffic that exercises its defect, and the
/// device must name the defect in its log (`W (ms) esp_idf_host: DEFECT <name>: …`).
@Suite(.ownThreads) struct DefectDetectionTests {
    private static let fixture = FirmwareDeviceProcess.fixture("defective")

    private func start(_ defect: String) throws -> FirmwareDeviceProcess {
        try FirmwareDeviceProcess(["--driver", Self.fixture + "/defective_tunnel.c", "-I", Self.fixture + "/" + defect])
    }

    /// A 1514-byte ICMP echo request (1472 bytes of payload), the largest frame the bridge may send.
    private func fullSizePing(_ peer: DevicePeer, sequence: UInt16) throws -> [UInt8]? {
        let payload = (0..<1472).map { UInt8(truncatingIfNeeded: $0) }
        try peer.send(frame: PacketBuilder.icmpEchoRequest(identifier: 0xFD, sequence: sequence, payload: payload))
        return try peer.receiveFrame(within: .seconds(1)) {
            DevicePeer.isEchoReply($0, identifier: 0xFD, sequence: sequence)
        }
    }

    @Test func aLinkoutputThatFreesPIsNamed() throws {
        let device = try start("frees_p")
        let peer = try DevicePeer(connectingTo: device.address)
        // The host layer's extra reference keeps the pbuf alive, so the device still works…
        #expect(try peer.ping(identifier: 1, sequence: 1) != nil)
        // …and the defect is named, with the gratuitous ARP at link-up as its first victim.
        #expect(device.waitForDefect("linkoutput-frees-p"), "\(device.output)")
        #expect(device.output.contains("called pbuf_free(p) on a 42-byte frame"))
    }

    @Test func writingIntoALentRxBufferIsNamed() throws {
        let device = try start("writes_lent_rx")
        let peer = try DevicePeer(connectingTo: device.address)
        // A burst: the RX task reuses its one buffer for the next frame while lwIP still holds the last one.
        var burst: [UInt8] = []
        for sequence in 1...40 {
            burst += try RecordEncoder.encode(PacketBuilder.icmpEchoRequest(identifier: 2, sequence: UInt16(sequence)))
        }
        try peer.send(raw: burst)
        #expect(device.waitForDefect("rx-buffer-written-while-lent"), "\(device.output)")
    }

    @Test func aTxLimitBelowTheLegalFrameSizeIsNamed() throws {
        let device = try start("tx_limit_1500")
        let peer = try DevicePeer(connectingTo: device.address)
        #expect(try peer.ping(identifier: 3, sequence: 1) != nil, "small frames still pass")
        #expect(try fullSizePing(peer, sequence: 2) == nil, "the 1514-byte reply is refused")
        #expect(device.waitForDefect("tx-rejects-legal-frame"), "\(device.output)")
        #expect(device.output.contains("for a 1514-byte frame"))
    }

    @Test func aMissingStaticARPEntryShowsAsGatewayRequestsOnTheWire() throws {
        let device = try start("no_static_arp")
        let peer = try DevicePeer(connectingTo: device.address)
        // The first ping: lwIP must resolve 192.168.100.1 before it can answer, and without the static entry it asks.
        try peer.send(frame: PacketBuilder.icmpEchoRequest(identifier: 4, sequence: 1))
        let request = try peer.receiveFrame(within: .seconds(5)) { DeviceSuite.isGatewayARPRequest($0) }
        #expect(request != nil, "an ARP request for the gateway reaches the wire")
        #expect(device.waitForDefect("gateway-arp-request-on-wire"), "\(device.output)")
    }

    @Test func aCallWithoutTheCoreLockIsNamedNotACrash() throws {
        let device = try start("unlocked_call")
        #expect(device.waitForDefect("lwip-call-without-core-lock"), "\(device.output)")
        #expect(device.output.contains("netif_set_default() ran without the lwIP core lock (called from app_main"),
                "names the lwIP function and the firmware function that called it")
        let peer = try DevicePeer(connectingTo: device.address)
        #expect(try peer.ping(identifier: 5, sequence: 1) != nil, "the device keeps running")
        #expect(device.child.isRunning)
    }

    @Test func aDriverThatDropsValidFramesIsNamed() throws {
        let device = try start("drops_large_rx")
        let peer = try DevicePeer(connectingTo: device.address)
        #expect(try fullSizePing(peer, sequence: 6) == nil)
        // Not delivered within 3 × the 1 s frame timeout: reported by age, even if nothing follows it.
        #expect(device.waitForDefect("valid-frame-dropped", timeout: .seconds(15)), "\(device.output)")
        #expect(device.output.contains("a 1514-byte frame that was valid on the wire never reached netif->input"))
    }

    @Test func aDriverThatTruncatesReceivedFramesIsNamed() throws {
        let device = try start("truncates_rx")
        let peer = try DevicePeer(connectingTo: device.address)
        // small frames pass whole (and mark the netif as fed by the UART)…
        #expect(try peer.ping(identifier: 9, sequence: 1) != nil)
        // …a 1514-byte one reaches lwIP cut to 1024 bytes
        _ = try fullSizePing(peer, sequence: 2)
        #expect(device.waitForDefect("rx-frame-altered"), "\(device.output)")
        #expect(device.output.contains("a 1024-byte frame reached netif->input that was not on the wire"))
    }

    @Test func aDriverThatPadsShortFramesIsNamed() throws {
        let device = try start("pads_tx")
        let peer = try DevicePeer(connectingTo: device.address)
        // the 42-byte ARP reply leaves as a 60-byte record
        try peer.send(frame: PacketBuilder.arpRequest(targetIP: .device))
        let reply = try peer.receiveFrame(within: .seconds(5)) { $0.count >= 42 && $0[12] == 0x08 && $0[13] == 0x06 }
        #expect(reply?.count == 60)
        #expect(device.waitForDefect("tx-frame-altered"), "\(device.output)")
    }

    /// No false defects: frames the firmware feeds into a second esp_netif itself never crossed the UART, so they
    /// are neither "altered" nor take the place of wire frames.
    @Test func aSecondNetifFedByTheFirmwareIsNotJudgedAgainstTheWire() throws {
        let device = try start("second_netif")
        try #require(device.child.waitForOutput(containing: "aux fed one ARP request", timeout: .seconds(15)))
        // lwIP answers the aux interface's ARP request through aux's own driver
        #expect(device.child.waitForOutput(containing: "aux sent 42 bytes", timeout: .seconds(15)), "\(device.output)")
        let peer = try DevicePeer(connectingTo: device.address)
        for sequence in 1...5 {
            #expect(try peer.ping(identifier: 10, sequence: UInt16(sequence)) != nil)
        }
        #expect(device.defectLines.isEmpty, "\(device.defectLines)")
    }
}
