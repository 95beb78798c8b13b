/// Transport-level events of a link, beside the decoder's frame counters.
public struct LinkCounters: Sendable, Equatable, Codable {
    public var connections = 0
    public var disconnections = 0
    public var bytesIn = 0
    public var bytesOut = 0
    public var recordsOut = 0
    /// Records written while no peer was attached: like a UART with nothing on the other end, they are gone.
    public var recordsWithoutPeer = 0
    /// Records begun on a paced line to one peer whose rest was withheld because that peer left (or another
    /// attached) before the record had crossed: a new peer starts at a record boundary.
    public var recordsCutAtPeerChange = 0
    /// Writes that failed because the peer vanished mid-write.
    public var writeErrors = 0
    /// Records dropped whole because the peer did not read: its connection already had
    /// ``TCPServerLink/transmitQueueLimit`` bytes waiting (a UART never holds more than its TX buffer either).
    public var recordsDroppedPeerNotReading = 0

    public init() {}
}
