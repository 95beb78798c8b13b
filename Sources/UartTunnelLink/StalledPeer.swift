/// A peer that stopped reading: the link held back what it could (its TX queue) and then dropped whole records.
/// `/api/status` and the final log line name it.
public struct StalledPeer: Sendable, Codable, Equatable {
    /// Where it connected from, e.g. `127.0.0.1:40312`.
    public var peer: String
    /// Bytes accepted for it that its socket has not taken.
    public var queuedBytes: Int
    /// Records dropped whole on this connection because the queue was full.
    public var droppedRecords: Int

    public var summary: String {
        "peer \(peer) not reading: \(queuedBytes) B held back, \(droppedRecords) records dropped"
    }
}
