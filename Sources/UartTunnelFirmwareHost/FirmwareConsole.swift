import CEspIdfHost
import Foundation
import Logging
import Synchronization
import UartTunnelDevice
import UartTunnelSystem

/// The firmware's UART0 on a TCP port, like QEMU's `-serial tcp::5555,server,nowait`: what the firmware prints —
/// its ESP_LOG lines and its `printf`/`puts` output — goes to every connected client (`nc 127.0.0.1 5555`), and
/// still to the device's own stderr/stdout.
///
/// - Any number of clients (at most ``maxClients``); a client that connects late first gets the last
///   ``historyLimit`` bytes, so the boot log is not lost to whoever attaches after it.
/// - Never blocks the firmware: each client gets non-blocking writes into a fixed ``clientSendBuffer``; what its
///   socket cannot take is dropped and counted (``droppedBytes``, and logged when the client leaves), as a UART
///   drops what nobody reads.
/// - What clients type is read and discarded (the host's UART0 has no RX side yet).
/// - The listener and its clients survive esp_restart (``DeviceRestart``), as QEMU's chardev does.
public final class FirmwareConsole: @unchecked Sendable {
    public static let maxClients = 8
    public static let historyLimit = 16 * 1024
    /// A client's socket send buffer: what one that does not read may hold back before its output is dropped.
    public static let clientSendBuffer: Int32 = 64 * 1024

    public let address: SocketAddress
    private let listener: Descriptor
    private let logger: Logger
    private struct Client {
        let descriptor: Descriptor
        let name: String
        var dropped = 0
    }
    private struct State {
        var clients: [Client] = []
        var history: [UInt8] = []
        var droppedBytes = 0
        var stopping = false
        var originalStdout: Descriptor?
    }
    private let state = Mutex(State())

    /// The console the C log writer's sink reaches (one per process, like UART0).
    fileprivate static let current = Mutex<FirmwareConsole?>(nil)

    /// Binds `requested` (or adopts the listener and clients a replaced process handed over).
    public init(listenOn requested: SocketAddress, logger: Logger) throws(SystemError) {
        self.logger = logger
        if let inherited = DeviceRestart.inherited, let kept = inherited.descriptors("console").first {
            listener = kept
            state.withLock {
                $0.clients = inherited.descriptors("console-clients").map {
                    Client(descriptor: $0, name: "\($0) (kept across esp_restart)")
                }
            }
        } else {
            listener = try TCPSocket.listen(on: requested, backlog: 4)
        }
        do {
            address = try TCPSocket.localAddress(of: listener)
        } catch {
            listener.close()
            throw error
        }
    }

    public var droppedBytes: Int { state.withLock { $0.droppedBytes } }
    public var clientCount: Int { state.withLock { $0.clients.count } }

    /// Starts serving clients, routes the log writer and standard output here, and registers what a restart keeps.
    public func start() throws(SystemError) {
        let diverted = try StandardOutputDiversion.divert()
        state.withLock { $0.originalStdout = diverted.original }
        Self.current.withLock { $0 = self }
        CEspIdfHost_setConsoleSink(consoleSink)
        let copier = Thread { [self] in copyStandardOutput(from: diverted.read, to: diverted.original) }
        copier.name = "uart0-stdout"
        copier.start()
        let server = Thread { [self] in serve() }
        server.name = "uart0-console"
        server.start()
        DeviceRestart.keep("console") { [self] in
            let (clients, original) = state.withLock { ($0.clients, $0.originalStdout) }
            // the new image has no reader for the stdout pipe: give it the real standard output back
            if let original { StandardOutputDiversion.restore(original) }
            return (["fd-console": "\(listener.rawValue)",
                     "fd-console-clients": clients.map { "\($0.descriptor.rawValue)" }.joined(separator: ",")],
                    [listener] + clients.map(\.descriptor))
        }
        logger.info("UART0 console on \(address) (nc \(address.description.replacingOccurrences(of: ":", with: " ")))")
    }

    /// Writes bytes to every client now; never waits.
    public func write(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        state.withLock { state in
            state.history.append(contentsOf: bytes)
            if state.history.count > Self.historyLimit {
                state.history.removeFirst(state.history.count - Self.historyLimit)
            }
            for index in state.clients.indices {
                let sent = (try? state.clients[index].descriptor.sendIfReady(bytes)) ?? 0
                state.clients[index].dropped += bytes.count - (sent ?? 0)
                state.droppedBytes += bytes.count - (sent ?? 0)
            }
        }
    }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    public func stop() {
        CEspIdfHost_setConsoleSink(nil)
        state.withLock { $0.stopping = true }
    }

    /// Accepts clients (each first gets the history) and reads what they send, dropping it; a client that closes
    /// is removed.
    private func serve() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !state.withLock({ $0.stopping }) {
            let clients = state.withLock { $0.clients.map(\.descriptor) }
            guard let ready = try? Poll.ready(reading: [listener] + clients, writing: [], timeout: .milliseconds(200))
            else { continue }
            for descriptor in ready.readable {
                if descriptor == listener {
                    accept()
                } else if ((try? descriptor.read(into: &buffer)) ?? 0) == 0 {
                    let gone = state.withLock { state -> Client? in
                        guard let index = state.clients.firstIndex(where: { $0.descriptor == descriptor }) else { return nil }
                        return state.clients.remove(at: index)
                    }
                    descriptor.close()
                    if let gone {
                        let dropped = gone.dropped > 0 ? " (\(gone.dropped) bytes dropped while it did not read)" : ""
                        logger.info("UART0 console: client \(gone.name) left\(dropped)")
                    }
                }
            }
        }
    }

    private func accept() {
        guard let (client, from) = try? TCPSocket.accept(listener) else { return }
        let admitted = state.withLock { state -> Bool in
            guard state.clients.count < Self.maxClients else { return false }
            _ = try? client.setNonBlocking(true)
            _ = try? TCPSocket.limitSendBuffer(client, bytes: Self.clientSendBuffer)
            let dropped = state.history.withUnsafeBytes { history in
                history.count - (((try? client.sendIfReady(history)) ?? 0) ?? 0)
            }
            state.droppedBytes += dropped
            state.clients.append(Client(descriptor: client, name: from.description, dropped: dropped))
            return true
        }
        if admitted {
            logger.info("UART0 console: client \(from) attached")
        } else {
            logger.warning("UART0 console: \(Self.maxClients) clients already attached; refused \(from)")
            client.close()
        }
    }

    /// Copies what the process prints on standard output to the real standard output and to the clients.
    private func copyStandardOutput(from pipe: Descriptor, to original: Descriptor) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while let count = try? pipe.read(into: &buffer), count > 0 {
            let bytes = Array(buffer[0..<count])
            try? original.writeAll(bytes)
            bytes.withUnsafeBytes { write($0) }
        }
        pipe.close()
    }
}

private func consoleSink(_ text: UnsafePointer<CChar>?, _ count: Int) {
    guard let text, count > 0, let console = FirmwareConsole.current.withLock({ $0 }) else { return }
    console.write(UnsafeRawBufferPointer(start: text, count: count))
}
