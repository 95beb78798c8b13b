/// IP protocol numbers (the IPv4 `protocol` field, the IPv6 `next header`) that the
/// builders and reports use.
public enum IPProtocol {
    public static let icmp: UInt8 = 1
    public static let tcp: UInt8 = 6
    public static let udp: UInt8 = 17
    public static let icmpv6: UInt8 = 58
}
