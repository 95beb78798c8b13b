/// `uart-tunnel decode` without the command line: any ``CaptureFile`` → both directions through a
/// ``StreamAligner`` each (the firmware's framing rules) → alignment reports, and optionally a pcap/pcapng file.
public enum CaptureDecoding {
    public struct Result: Sendable {
        public var kind: CaptureFile.Kind
        public var reports: [AlignmentReport]
        public var packets: Int
        public var notes: [String]
    }

    /// Throws ``RawCaptureFormat/FormatError`` for input it cannot read, and the writer's `SystemError` for `pcap`.
    public static func decode(_ data: [UInt8], plain: Bool, direction: LinkDirection, pcap: String?,
                              format: PacketFileFormat, frameTimeoutMs: Int?, devicePort: UInt16 = 5556) throws -> Result {
        let file = try CaptureFile(data, plain: plain, direction: direction, devicePort: devicePort)
        var notes = file.notes
        var timeoutMs = frameTimeoutMs ?? 1000
        if frameTimeoutMs == nil, let header = file.header, header.frameTimeoutMilliseconds > 0 {
            timeoutMs = header.frameTimeoutMilliseconds
        }
        if let header = file.header {
            notes.insert("line: " + (header.baud > 0 ? "paced \(header.baud) \(header.frameFormat)" : "unpaced")
                + ", frame timeout \(timeoutMs) ms", at: 0)
        }
        let records = file.records
        let timeout = Duration.milliseconds(timeoutMs)
        var aligners = [StreamAligner(direction: .rx, frameTimeout: timeout), StreamAligner(direction: .tx, frameTimeout: timeout)]
        let writer = try pcap.map { try PacketCaptureWriter(path: $0, format: format) }
        // An untimed dump has no wall clock: stamp its packets with the time of decoding.
        let untimedStamp = MonotonicTime.wallClockNow()
        func stamp(_ record: Int64) -> Int64 { file.timed ? record : untimedStamp }
        let base = ContinuousClock.now
        let first = records.first?.timestamp ?? 0
        var lastTimestamp = first
        func write(_ output: StreamAligner.Output, _ direction: LinkDirection, _ timestamp: Int64) {
            writer?.write(output, direction: direction, timestamp: stamp(timestamp))
        }
        for record in records {
            // The readers guarantee non-decreasing stamps less than a century apart, so this cannot overflow.
            let instant = base + .nanoseconds(record.timestamp - first)
            lastTimestamp = max(lastTimestamp, record.timestamp)
            for index in aligners.indices {
                let dir = aligners[index].direction
                aligners[index].idle(at: instant) { write($0, dir, record.timestamp) }
            }
            switch record.kind {
            case .rx, .tx:
                let index = record.kind == .rx ? 0 : 1
                let dir = aligners[index].direction
                record.bytes.withUnsafeBytes { raw in
                    aligners[index].feed(raw, at: instant) { write($0, dir, record.timestamp) }
                }
            case .note:
                if record.text.hasPrefix("disconnected") {
                    for index in aligners.indices {
                        let dir = aligners[index].direction
                        aligners[index].reset { write($0, dir, record.timestamp) }
                    }
                }
            }
        }
        // The capture went on after the last bytes (a pcapng's closing block): let the device's timeout happen.
        if let end = file.endTimestamp, !records.isEmpty {
            for index in aligners.indices {
                let dir = aligners[index].direction
                aligners[index].idle(at: base + .nanoseconds(end - first)) { write($0, dir, end) }
            }
            lastTimestamp = max(lastTimestamp, end)
        }
        var summary: [String] = []
        for index in aligners.indices {
            let dir = aligners[index].direction
            aligners[index].finish { write($0, dir, lastTimestamp) }
            summary += aligners[index].unattachedNotes.map { "\(dir) (no later frame): \($0)" }
        }
        // A one-direction dump reports that direction only (tcpdump text has both).
        let oneDirection = !file.timed || file.kind == .plain
        let reports = aligners.map(\.report).filter { !oneDirection || $0.direction == direction.description }
        writer?.finish(summary: notes + summary, received: reports.reduce(0) { $0 + $1.frames },
                       dropped: reports.reduce(0) { $0 + $1.badLengths.count + $1.partialFrames.count })
        return Result(kind: file.kind, reports: reports, packets: writer?.packets ?? 0, notes: notes)
    }
}
