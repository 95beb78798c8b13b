/// Writes bytes to the transport's peer. `continuing` nil starts a record (any attached peer may take it);
/// otherwise the bytes continue a record begun on that connection. Returns the connection that took the bytes,
/// nil when none did. ``TCPServerLink/send(_:continuing:)`` is the real one.
public typealias PeerSend = @Sendable (_ bytes: [UInt8], _ continuing: Int?) -> Int?

/// Keeps each record a paced TX line hands on in pieces whole or absent for every peer: the pieces go to the
/// connection that took the first one, and nowhere once that failed. So a peer that attaches mid-record, with
/// nobody attached before or just after another left, starts at the next record (as QEMU's chardev drops what
/// is written while no client is connected, whole writes at a time). Used by one worker thread.
final class RecordRouting: @unchecked Sendable {
    private let send: PeerSend
    /// The connection the current record goes to; nil once no peer took part of it.
    private var connection: Int?

    init(send: @escaping PeerSend) {
        self.send = send
    }

    func deliver(_ bytes: UnsafeRawBufferPointer, startsItem: Bool) {
        guard startsItem || connection != nil else { return }
        connection = send(Array(bytes), startsItem ? nil : connection)
    }
}
