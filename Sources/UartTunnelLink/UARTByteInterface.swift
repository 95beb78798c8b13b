/// The UART byte interface of a pcapng raw capture (interface 1, LINKTYPE_USER0): the line's parameters, which
/// the old format kept in its header, travel in the interface's comment as `key=value` words, written and read here.
extension RawCaptureFormat.Header {
    static let commentPrefix = "uart-tunnel uart:"

    var interfaceComment: String {
        "\(Self.commentPrefix) baud=\(baud) frame=\(frameFormat) frame_timeout_ms=\(frameTimeoutMilliseconds) "
            + "start_ns=\(startNanoseconds)"
    }

    /// nil when `comment` is not ours; unknown or malformed words keep their defaults (0 = unknown).
    init?(interfaceComment comment: String) {
        guard comment.hasPrefix(Self.commentPrefix) else { return nil }
        var fields: [Substring: Substring] = [:]
        for word in comment.dropFirst(Self.commentPrefix.count).split(separator: " ") {
            let parts = word.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        self.init(baud: fields["baud"].flatMap { Int($0) } ?? 0,
                  startNanoseconds: fields["start_ns"].flatMap { Int64($0) } ?? 0,
                  frameFormat: fields["frame"].map(String.init) ?? "8N1",
                  frameTimeoutMilliseconds: fields["frame_timeout_ms"].flatMap { Int($0) } ?? 0)
    }

    /// The byte interface's IDB.
    var interfaceDescription: [UInt8] {
        Pcapng.interfaceDescription(
            linkType: Pcapng.linkTypeUser0, name: "uart1-bytes",
            description: "ESP32 UART1 bytes as they crossed, both directions (" + (baud > 0 ? "paced \(baud) \(frameFormat)" : "unpaced")
                + "); the decoded frames are on interface uart1",
            speed: baud > 0 ? UInt64(baud) : nil, comment: interfaceComment)
    }
}
