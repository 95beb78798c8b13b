import UartTunnelWire

/// How one direction of a UART byte stream lined up with the firmware's framing: the frames, every invalid
/// length with its stream offset, the partial frames, and the resync points (the first good frame after trouble).
public struct AlignmentReport: Sendable, Codable, Equatable {
    public struct BadLength: Sendable, Codable, Equatable {
        public var offset: Int
        public var length: Int

        public init(offset: Int, length: Int) {
            self.offset = offset
            self.length = length
        }
    }

    public struct PartialFrame: Sendable, Codable, Equatable {
        public var offset: Int
        /// The announced frame length; -1 when only the first length byte came.
        public var expected: Int
        public var received: Int
        /// `timeout`, `disconnect` or `end of capture`.
        public var reason: String

        public init(offset: Int, expected: Int, received: Int, reason: String) {
            self.offset = offset
            self.expected = expected
            self.received = received
            self.reason = reason
        }
    }

    public struct ResyncPoint: Sendable, Codable, Equatable {
        /// Stream offset of the first good record after the trouble.
        public var offset: Int
        /// Bytes between the start of the trouble and that record.
        public var skippedBytes: Int
        /// What went wrong first.
        public var after: String

        public init(offset: Int, skippedBytes: Int, after: String) {
            self.offset = offset
            self.skippedBytes = skippedBytes
            self.after = after
        }
    }

    public var direction: String
    public var bytes = 0
    public var frames = 0
    public var frameBytes = 0
    public var badLengths: [BadLength] = []
    public var partialFrames: [PartialFrame] = []
    public var resyncPoints: [ResyncPoint] = []

    public init(direction: String) {
        self.direction = direction
    }

    /// The per-direction table plus details (offsets), as `uart-tunnel decode` prints it.
    public static func table(_ reports: [AlignmentReport], detailLimit: Int = 20) -> String {
        let header = ["direction", "bytes", "frames", "frame bytes", "bad lengths", "resync points", "partial frames"]
        let rows = reports.map { r in
            [r.direction, "\(r.bytes)", "\(r.frames)", "\(r.frameBytes)", "\(r.badLengths.count)", "\(r.resyncPoints.count)",
             "\(r.partialFrames.count)"]
        }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == 0 ? cell.padding(toLength: widths[i]) : cell.leftPadded(toLength: widths[i])
            }.joined(separator: "  ")
        }
        var out = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += rows.map(line)
        for r in reports {
            func list<T>(_ title: String, _ items: [T], _ text: (T) -> String) {
                guard !items.isEmpty else { return }
                let shown = items.prefix(detailLimit).map(text).joined(separator: ", ")
                out.append("  \(r.direction) \(title): \(shown)" + (items.count > detailLimit ? ", … (\(items.count - detailLimit) more)" : ""))
            }
            list("bad lengths (offset: length)", r.badLengths) { "\($0.offset): \($0.length)" }
            list("resync points (offset, after)", r.resyncPoints) { "\($0.offset) after \($0.skippedBytes) B (\($0.after))" }
            list("partial frames (offset: received/expected, why)", r.partialFrames) {
                "\($0.offset): " + ($0.expected < 0 ? "1 of 2 length bytes" : "\($0.received)/\($0.expected)") + " (\($0.reason))"
            }
        }
        return out.joined(separator: "\n")
    }
}

/// Follows one direction of the UART stream with the firmware's decoder (``RecordDecoder``: length validation,
/// 2-byte resync, partial-frame timeout) and says where each frame and each problem sits in the stream, for
/// captures and `uart-tunnel decode`.
public struct StreamAligner: Sendable {
    public enum Output: Sendable {
        /// A whole frame that started at `offset` (its first length byte); `comment` notes trouble just before it.
        case frame([UInt8], offset: Int, comment: String?)
        /// A partial frame: the bytes that came of `expected`.
        case partial([UInt8], expected: Int, offset: Int, comment: String)
    }

    public let direction: LinkDirection
    public private(set) var report: AlignmentReport
    private var decoder: RecordDecoder
    /// Bytes of the current unit and beyond, `pendingBase` being the stream offset of `pending[0]`.
    private var pending: [UInt8] = []
    private var pendingBase = 0
    private var nextUnit = 0
    private var troubleStart: Int?
    private var troubleFirst: String?
    private var notes: [String] = []

    public init(direction: LinkDirection, frameTimeout: Duration = .seconds(1), maxFrame: Int = WireFormat.maxFrameLength) {
        self.direction = direction
        report = AlignmentReport(direction: direction.description)
        decoder = RecordDecoder(timeout: frameTimeout, maxFrame: maxFrame)
    }

    /// Notes about trouble not yet attached to a frame (for a closing summary).
    public var unattachedNotes: [String] { notes }

    public var nextDeadline: ContinuousClock.Instant? { decoder.deadline }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer, at instant: ContinuousClock.Instant,
                              _ emit: (Output) -> Void) {
        pending.append(contentsOf: bytes)
        report.bytes += bytes.count
        var events: [DecoderEvent] = []
        decoder.feed(bytes, now: instant) { events.append($0) }
        handle(events, emit)
        trim()
    }

    public mutating func idle(at instant: ContinuousClock.Instant, _ emit: (Output) -> Void) {
        var events: [DecoderEvent] = []
        decoder.expire(now: instant) { events.append($0) }
        handle(events, emit)
        trim()
    }

    /// The stream ends here and a new one starts (a peer left): a partial record is reported as `disconnect`.
    public mutating func reset(_ emit: (Output) -> Void) {
        var events: [DecoderEvent] = []
        decoder.reset { events.append($0) }
        handle(events, emit)
        trim()
    }

    /// The capture ends: a partial record is reported as `end of capture`.
    public mutating func finish(_ emit: (Output) -> Void) {
        guard !decoder.isIdle else { return }
        let start = nextUnit - pendingBase
        let unit = start >= 0 && start < pending.count ? Array(pending[start...]) : []
        let expected = unit.count >= 2 ? Int(unit[0]) << 8 | Int(unit[1]) : -1
        let received = max(0, unit.count - 2)
        partial(expected: expected, received: received, offset: nextUnit, reason: "end of capture", emit)
        decoder.reset { _ in }
    }

    private mutating func handle(_ events: [DecoderEvent], _ emit: (Output) -> Void) {
        for event in events {
            switch event {
            case .frame(let frame):
                let offset = nextUnit
                nextUnit += 2 + frame.count
                report.frames += 1
                report.frameBytes += frame.count
                if let start = troubleStart {
                    report.resyncPoints.append(.init(offset: offset, skippedBytes: offset - start, after: troubleFirst ?? ""))
                    notes.append("resynchronised here, \(offset - start) bytes after the trouble began at offset \(start)")
                    troubleStart = nil
                    troubleFirst = nil
                }
                let comment = notes.isEmpty ? nil : notes.joined(separator: "; ")
                notes.removeAll()
                emit(.frame(frame, offset: offset, comment: comment))
            case .badLength(let length, let offset):
                report.badLengths.append(.init(offset: offset, length: length))
                notes.append("invalid length \(length) at offset \(offset), skipped its 2 bytes")
                beginTrouble(at: offset, "invalid length \(length)")
                nextUnit = offset + 2
            case .timeout(let expected, let received, let offset):
                beginTrouble(at: offset, "partial frame timed out")
                partial(expected: expected, received: received, offset: offset, reason: "timeout", emit)
                nextUnit = offset + (expected < 0 ? 1 : 2 + received)
            case .discarded(let expected, let received, let offset):
                partial(expected: expected, received: received, offset: offset, reason: "disconnect", emit)
                nextUnit = offset + (expected < 0 ? 1 : 2 + received)
            }
        }
    }

    private mutating func beginTrouble(at offset: Int, _ what: String) {
        if troubleStart == nil {
            troubleStart = offset
            troubleFirst = what
        }
    }

    private mutating func partial(expected: Int, received: Int, offset: Int, reason: String, _ emit: (Output) -> Void) {
        report.partialFrames.append(.init(offset: offset, expected: expected, received: received, reason: reason))
        let what = expected < 0 ? "only 1 of 2 length bytes" : "\(received) of \(expected) frame bytes"
        let comment = "partial frame at offset \(offset): \(what), dropped (\(reason))"
        let start = offset + 2 - pendingBase
        guard expected >= 0, received > 0, start >= 0, start + received <= pending.count else {
            notes.append(comment)
            return
        }
        emit(.partial(Array(pending[start..<(start + received)]), expected: expected, offset: offset, comment: comment))
    }

    /// Forgets bytes before the current unit.
    private mutating func trim() {
        let drop = min(nextUnit - pendingBase, pending.count)
        if decoder.isIdle {
            // Everything fed so far is accounted for.
            pendingBase += pending.count
            pending.removeAll(keepingCapacity: true)
            nextUnit = pendingBase
        } else if drop > 0 {
            pending.removeFirst(drop)
            pendingBase += drop
        }
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }

    func leftPadded(toLength length: Int) -> String {
        count >= length ? self : String(repeating: " ", count: length - count) + self
    }
}
