import UartTunnelTestSupport
import Foundation
import Synchronization
import Testing
import UartTunnelSystem

@Suite(.ownThreads) struct SystemTests {
    @Test func interfaceNames() throws {
        #expect(try InterfaceName(validating: "tun0").rawValue == "tun0")
        #expect(try InterfaceName(validating: "abcdefghijklmno").rawValue.count == 15)
        for bad in ["", ".", "..", "a/b", "a b", "a:b", "abcdefghijklmnop", "tab\t"] {
            #expect(throws: InterfaceNameError.self) { try InterfaceName(validating: bad) }
        }
    }

    @Test func socketAddressParsing() throws {
        #expect(try SocketAddress(parsing: "127.0.0.1:5556") == SocketAddress(host: "127.0.0.1", port: 5556))
        #expect(try SocketAddress(parsing: "localhost:1").host == "127.0.0.1")
        for bad in ["127.0.0.1", "host:1", "127.0.0.1:x", "127.0.0.1:65536", ":1"] {
            #expect(throws: AddressParseError.self) { try SocketAddress(parsing: bad) }
        }
    }

    @Test func errorDescriptionNamesCallAndErrno() {
        let error = SystemError(call: "connect(127.0.0.1:5556)", errno: 111)
        #expect(error.description == "connect(127.0.0.1:5556): Connection refused (errno 111)")
        #expect(error.isConnectionLost)
    }

    @Test func loopbackListenConnectAcceptReadWrite() throws {
        Signals.ignorePipe()
        let listener = try TCPSocket.listen(on: SocketAddress(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        let bound = try TCPSocket.localAddress(of: listener)
        #expect(bound.host == "127.0.0.1" && bound.port != 0)
        let client = try TCPSocket.connect(to: bound, timeout: .seconds(1))
        let (server, peer) = try TCPSocket.accept(listener)
        #expect(peer.host == "127.0.0.1")
        #expect(try server.waitReadable(timeout: .milliseconds(20)) == false)
        try client.writeAll([1, 2, 3, 4])
        #expect(try server.waitReadable(timeout: .seconds(5)))
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try server.read(into: &buffer) == 4)
        #expect(Array(buffer.prefix(4)) == [1, 2, 3, 4])
        client.close()
        #expect(try server.read(into: &buffer) == 0)  // EOF
        #expect(throws: SystemError.self) { for _ in 0..<100 { try server.writeAll([UInt8](repeating: 0, count: 4096)) } }
        server.close()
    }

    @Test func connectRefusedIsTypedError() throws {
        let listener = try TCPSocket.listen(on: SocketAddress(host: "127.0.0.1", port: 0))
        let address = try TCPSocket.localAddress(of: listener)
        listener.close()
        do {
            _ = try TCPSocket.connect(to: address)
            Issue.record("connected to a closed port")
        } catch {
            #expect(error.errno == 111)
            #expect(error.call == "connect(\(address))")
        }
    }

    @Test func shutdownWakesBlockedReader() throws {
        let listener = try TCPSocket.listen(on: SocketAddress(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        let client = try TCPSocket.connect(to: try TCPSocket.localAddress(of: listener))
        let (server, _) = try TCPSocket.accept(listener)
        defer { client.shutdown(); server.close(); client.close() }  // never leave the reader blocked
        // A thread of its own: a task could wait seconds for a pool thread that other tests keep busy.
        let result = Mutex<Int?>(nil)
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 8)
            let count = (try? client.read(into: &buffer)) ?? -1
            result.withLock { $0 = count }
        }
        reader.start()
        // The shutdown must find the reader asleep in read(2): one that came later would return 0 without a wake-up.
        try #require(eventually { aThreadIsReading(client.rawValue) }, "the reader never blocked in read(2)")
        client.shutdown()
        #expect(eventually { result.withLock { $0 } != nil }, "the shutdown did not wake the reader")
        #expect(result.withLock { $0 } == 0)
    }

    @Test func pipeWakesPoll() throws {
        let pipe = try Descriptor.pipe()
        defer { pipe.read.close(); pipe.write.close() }
        #expect(try Poll.readable([pipe.read], timeout: .milliseconds(10)).isEmpty)
        try pipe.write.writeAll([1])
        #expect(try Poll.readable([pipe.read], timeout: nil) == [pipe.read])
    }
}
