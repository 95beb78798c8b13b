import UartTunnelSystem
import UartTunnelWire

/// The host end's address and subnet, `192.168.100.1/24`: what the interface gets, and (in tun mode) which ARP
/// requests from the device the bridge answers.
public struct InterfaceAddress: Sendable, Hashable, CustomStringConvertible {
    public let address: IPv4Address
    public let prefixLength: Int

    public init(address: IPv4Address, prefixLength: Int) {
        precondition((0...32).contains(prefixLength), "an IPv4 prefix has 0...32 bits")
        self.address = address
        self.prefixLength = prefixLength
    }

    /// Parses `A.B.C.D/N` with N in 1...30 (a tunnel needs room for at least the host and the device).
    public init(parsing text: String) throws(AddressParseError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw AddressParseError(text: text, reason: "expected ADDRESS/PREFIX, e.g. 192.168.100.1/24")
        }
        guard let address = IPv4Address(String(parts[0])) else {
            throw AddressParseError(text: text, reason: "'\(parts[0])' is not an IPv4 address")
        }
        guard let prefix = Int(parts[1]), (1...30).contains(prefix) else {
            throw AddressParseError(text: text, reason: "prefix '\(parts[1])' is not a number in 1...30")
        }
        self.init(address: address, prefixLength: prefix)
    }

    public var netmask: IPv4Address {
        IPv4Address(value: prefixLength == 0 ? 0 : ~UInt32(0) << (32 - prefixLength))
    }

    /// True for addresses inside the subnet, network and broadcast addresses excluded.
    public func contains(_ other: IPv4Address) -> Bool {
        let mask = netmask.value
        let host = other.value & ~mask
        return other.value & mask == address.value & mask && host != 0 && host != ~mask
    }

    public var description: String { "\(address)/\(prefixLength)" }
}
