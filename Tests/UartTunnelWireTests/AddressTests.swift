import Testing
import UartTunnelWire

@Suite struct AddressTests {
    @Test func tunnelMACs() {
        #expect(MACAddress.device.bytes == [0x02, 0, 0, 0, 0, 0x02])
        #expect(MACAddress.host.bytes == [0x02, 0, 0, 0, 0, 0x01])
        #expect(MACAddress.broadcast.bytes == [UInt8](repeating: 0xFF, count: 6))
        #expect(MACAddress.device.description == "02:00:00:00:00:02")
        #expect(MACAddress.broadcast.isMulticast)
        #expect(!MACAddress.host.isMulticast)
    }

    @Test func macParsing() {
        #expect(MACAddress("02:00:00:00:00:02") == .device)
        #expect(MACAddress("02-00-00-00-00-01") == .host)
        #expect(MACAddress("FF:ff:FF:ff:FF:ff") == .broadcast)
        #expect(MACAddress("a:b:c:d:e:f")?.description == "0a:0b:0c:0d:0e:0f")
        for bad in ["", "02:00:00:00:00", "02:00:00:00:00:02:03", "02:00:00:00:00:2g", "002:00:00:00:00:02",
            "02:00:00:00::02", "02:00-00:00:00:02"]
        {
            #expect(MACAddress(bad) == nil, "\(bad)")
        }
        #expect(MACAddress(bytes: [1, 2, 3]) == nil)
        #expect(MACAddress(bytes: [0xDE, 0xAD, 0xBE, 0xEF, 0, 1])?.description == "de:ad:be:ef:00:01")
    }

    @Test func tunnelIPs() {
        #expect(IPv4Address.device.bytes == [192, 168, 100, 2])
        #expect(IPv4Address.gateway.value == 0xC0A8_6401)
        #expect(IPv4Address.netmask.value == 0xFFFF_FF00)
        #expect(IPv4Address.device.value & IPv4Address.netmask.value
            == IPv4Address.gateway.value & IPv4Address.netmask.value)
        #expect(IPv4Address.device.description == "192.168.100.2")
    }

    @Test func ipParsing() {
        #expect(IPv4Address("192.168.100.2") == .device)
        #expect(IPv4Address("0.0.0.0")?.value == 0)
        #expect(IPv4Address("255.255.255.255")?.value == .max)
        for bad in ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "1.2.3.-4", "1.2.3.4 ", "a.b.c.d", "1.2.3.0004",
            "+1.2.3.4"]
        {
            #expect(IPv4Address(bad) == nil, "\(bad)")
        }
        #expect(IPv4Address(bytes: [10, 0, 0, 1]) == IPv4Address(10, 0, 0, 1))
        #expect(IPv4Address(bytes: [10, 0, 0]) == nil)
    }
}
