import Foundation
import Testing
import UartTunnelSystem

/// Reading the kernel's TCP tables: address encoding (host-order words), IPv4-mapped tcp6 entries, and the owner
/// of the accepted end of a real loopback connection.
@Suite struct ProcNetTCPTests {
    @Test func parsesIPv4AndIPv6TablesIntoMappedAddresses() {
        let tcp = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:15B4 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0
               1: 0100007F:15B4 0100007F:A2C8 01 00000000:00000000 00:00000000 00000000  1000        0 0 1 0
            """
        let entries = ProcNetTCP.parse(tcp, ipv6: false)
        let loopback: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 127, 0, 0, 1]
        #expect(entries.count == 2)
        let first = entries.first
        #expect(first?.local == loopback && first?.localPort == 5556 && first?.remotePort == 0)
        #expect(first?.remote == [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF, 0, 0, 0, 0])
        #expect(first?.state == ProcNetTCP.listening && first?.uid == 1000 && first?.inode == 4242)
        #expect(entries.last?.remote == loopback && entries.last?.remotePort == 0xA2C8)
        let tcp6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0000000000000000FFFF00000100007F:15B4 0000000000000000FFFF00000100007F:A2C8 01 00000000:00000000 00:00000000 00000000    7        0 99 1 0
               1: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000    0        0 98 1 0
            """
        let six = ProcNetTCP.parse(tcp6, ipv6: true)
        #expect(six.count == 2)
        #expect(six.first?.local == loopback && six.first?.uid == 7)
        #expect(six.last?.local == [UInt8](repeating: 0, count: 15) + [1], "::1")
        #expect(ProcNetTCP.parse("header\n 0: garbage", ipv6: false).isEmpty)
    }

    @Test func findsTheOwnerOfTheAcceptedEndOfALoopbackConnection() throws {
        let listener = try TCPSocket.listen(on: SocketAddress(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        let client = try TCPSocket.connect(to: TCPSocket.localAddress(of: listener))
        defer { client.close() }
        let (accepted, _) = try TCPSocket.accept(listener)
        defer { accepted.close() }
        #expect(try ProcNetTCP.ownerOfPeer(of: client) == geteuid())
        // a connection that is not in this host's tables has no owner here
        #expect(try ProcNetTCP.ownerOfAcceptedEnd(local: SocketAddress(host: "127.0.0.1", port: 1),
                                                  remote: SocketAddress(host: "127.0.0.1", port: 2)) == nil)
    }
}
