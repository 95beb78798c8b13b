extension SocketAddress {
    /// 127.0.0.0/8: reachable only from this host (and this network namespace).
    public var isLoopback: Bool { Self.ipv4Bytes(host).map { UInt32(bigEndian: $0.s_addr) >> 24 == 127 } ?? false }
}
