/// Writes bytes to the transport's peer. `continuing` nil starts a record (any attached peer may take it);
/// otherwise the bytes continue a record begun on that connection. Returns the connection that took the bytes,
/// nil when none did. ``TCPServerLink/send(_:continuing:)`` is the real one.
public typealias PeerSend = @Sendable (_ bytes: [UInt8], _ continuing: UInt64?) -> UInt64?

/// Keeps each record a paced TX line hands on in pieces on the connection that took its first piece, so a
/// peer that replaces another mid-record never receives the old record's tail. Used by one worker thread.
final class RecordRouting: @unchecked Sendable {
    private let send: PeerSend
    private var connection: UInt64?

    init(send: @escaping PeerSend) {
        self.send = send
    }

    func deliver(_ bytes: UnsafeRawBufferPointer, startsItem: Bool) -> Bool {
        connection = send(Array(bytes), startsItem ? nil : connection)
        return connection != nil
    }
}
