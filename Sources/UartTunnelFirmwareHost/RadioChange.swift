import CEspIdfHost

/// One change of the scripted radio, from the scenario's `events` or from a run-time command
/// (`uart-tunnel radio drop-ap NAME`).
public enum RadioChange: Sendable, Equatable {
    case down(String)
    case up(String)
    case rssi(String, Int)
    case password(String, String)

    public var ssid: String {
        switch self {
        case .down(let ssid), .up(let ssid), .rssi(let ssid, _), .password(let ssid, _): ssid
        }
    }

    /// Parses a run-time command: `drop-ap NAME`, `restore-ap NAME`, `rssi NAME DBM`, `password NAME NEW`.
    public init(command words: [String]) throws(RadioScenarioError) {
        switch (words.first, words.count) {
        case ("drop-ap", 2): self = .down(words[1])
        case ("restore-ap", 2): self = .up(words[1])
        case ("rssi", 3):
            guard let dbm = Int(words[2]), (-127...0).contains(dbm) else {
                throw RadioScenarioError("rssi \(words[2]): not a whole number of dBm in -127…0")
            }
            self = .rssi(words[1], dbm)
        case ("password", 3): self = .password(words[1], words[2])
        default:
            throw RadioScenarioError("unknown radio command \"\(words.joined(separator: " "))\" (drop-ap NAME, "
                + "restore-ap NAME, rssi NAME DBM, password NAME NEW)")
        }
    }

    /// Applies now (`atMs` nil) or schedules at host time `atMs` (ms since power-on). False: no AP of that name
    /// (now), or the schedule is full.
    @discardableResult
    public func apply(atMs: Int64? = nil) -> Bool {
        let (kind, value, text): (Int32, Int32, String) = switch self {
        case .down: (0, 0, "")
        case .up: (1, 0, "")
        case .rssi(_, let dbm): (2, Int32(dbm), "")
        case .password(_, let password): (3, 0, password)
        }
        return CEspIdfHost_radioChange(kind, ssid, value, text, atMs ?? -1) != 0
    }
}
