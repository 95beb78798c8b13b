import Foundation

/// Polls `condition` every 5 ms until it holds or `limit` passes; true if it held. Tests wait on a counter or
/// an event this way rather than sleeping for a guessed time: a loaded machine only makes them slower.
public func eventually(within limit: Duration = .seconds(5), _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while true {
        if try condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        usleep(5_000)
    }
}
