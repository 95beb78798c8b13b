import CLwIPShims

/// Runs `body` holding lwIP's core lock (`LOCK_TCPIP_CORE`, which does not import into Swift).
/// Debian's liblwip aborts the process when a core function runs outside tcpip_thread without it.
@discardableResult
public func withLwIPCore<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
    CLwIPShims_lockCore()
    defer { CLwIPShims_unlockCore() }
    return try body()
}
