import CLwIP
import CLwIPShims
import Testing
import UartTunnelLwIP
import UartTunnelWire

extension DeviceTests {
    /// The live lwIP netif carries exactly what the firmware's init sets.
    @Test func netifFieldsMatchTheFirmwareDriver() throws {
        let netif = DeviceHarness.device.netif.netif
        let fields = withLwIPCore { netif.pointee }

        #expect(fields.hwaddr_len == 6)
        let mac = withUnsafeBytes(of: fields.hwaddr) { Array($0.prefix(6)) }
        #expect(mac == [0x02, 0x00, 0x00, 0x00, 0x00, 0x02])
        #expect(fields.mtu == 1500)
        let expectedFlags = NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_BROADCAST | NETIF_FLAG_UP
            | NETIF_FLAG_LINK_UP
        #expect(Int32(fields.flags) == Int32(expectedFlags))
        #expect(fields.ip_addr.u_addr.ip4.addr == IPv4Address(192, 168, 100, 2).value.bigEndian)
        #expect(fields.netmask.u_addr.ip4.addr == IPv4Address(255, 255, 255, 0).value.bigEndian)
        #expect(fields.gw.u_addr.ip4.addr == IPv4Address(192, 168, 100, 1).value.bigEndian)
        #expect(CLwIPShims_netifDefault() == netif)
        #expect(CLwIPShims_netifIsUp(netif) == 1)
        #expect(CLwIPShims_netifIsLinkUp(netif) == 1)

        // output = etharp_output, input = tcpip_input: compare the function addresses.
        let etharpOutput: netif_output_fn = etharp_output
        let tcpipInput: netif_input_fn = tcpip_input
        #expect(unsafeBitCast(fields.output, to: UnsafeRawPointer?.self)
            == unsafeBitCast(etharpOutput, to: UnsafeRawPointer.self))
        #expect(unsafeBitCast(fields.input, to: UnsafeRawPointer?.self)
            == unsafeBitCast(tcpipInput, to: UnsafeRawPointer.self))
        #expect(fields.linkoutput != nil)
    }

    /// Debian 2.1.3's PBUF_POOL elements are smaller than its headers promise; the device must see it and
    /// receive into PBUF_RAM.
    @Test func pbufPoolMismatchIsDetectedAndPoolPbufsRefused() {
        let check = LwIPStack.poolCheck
        #expect(check.headerElementSize == 1560)
        #expect(check.headerBufferSize == 1536)
        #expect(check.libraryElementSize == 616, "Debian liblwip 2.1.3+dfsg1 ships 616-byte pool elements")
        #expect(!check.isConsistent)
        #expect(LwIPStack.rxPbufType == PBUF_RAM)
        #expect(check.description.contains("mismatch"))
    }
}
