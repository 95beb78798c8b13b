/// Whoever consumes a link's byte stream (the device's decoder, a check's fake peer).
///
/// Calls arrive on the link's reader thread, one at a time.
public protocol ByteStreamReceiver: AnyObject, Sendable {
    /// A peer connected; the stream starts fresh.
    func linkConnected(peer: String)
    /// Bytes arrived at `time`, in whatever chunking the transport delivered them.
    func linkReceived(_ bytes: UnsafeRawBufferPointer, at time: ContinuousClock.Instant)
    /// Nothing arrived before `nextDeadline`; lets a decoder expire a partial frame on time.
    func linkIdle(at time: ContinuousClock.Instant)
    /// The peer went away (EOF, reset) or the link stopped. A half-received record belongs to no one now.
    func linkDisconnected(reason: String)
    /// When the receiver next needs `linkIdle`, or nil to wait for bytes only.
    var nextDeadline: ContinuousClock.Instant? { get }
}
