// libFuzzer target for the Swift `RecordDecoder` (compiled together with Sources/UartTunnelWire by
// fuzz/swift/build.sh: swiftc -sanitize=fuzzer,address). Property: whatever the chunking, the frames the decoder
// emits are exactly the valid records of the stream, in order. The input's first byte picks the chunk sizes; the
// rest is the stream, every byte arriving at one instant (no partial-frame timeout can fire). The oracle is an
// independent one-pass reading of the record rule: a length of 14…1518 followed by that many bytes is a
// record; any other length skips its two bytes; a record cut by the end of the stream is not one.

@_cdecl("LLVMFuzzerTestOneInput")
public func recordDecoderFuzzTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let stream = Array(input[1...])

    var expected: [[UInt8]] = []
    var index = 0
    while stream.count - index >= 2 {
        let length = Int(stream[index]) << 8 | Int(stream[index + 1])
        guard (14...1518).contains(length) else {
            index += 2
            continue
        }
        guard stream.count - index - 2 >= length else { break }
        expected.append(Array(stream[(index + 2)..<(index + 2 + length)]))
        index += 2 + length
    }

    var decoder = RecordDecoder()
    var frames: [[UInt8]] = []
    var state = input[0]
    var offset = 0
    let now = ContinuousClock.now
    while offset < stream.count {
        state = state &* 37 &+ 11
        let count = min(Int(state % 97) + 1, stream.count - offset)
        decoder.feed(stream[offset..<(offset + count)], now: now) { event in
            if case .frame(let frame) = event { frames.append(frame) }
        }
        offset += count
    }
    if frames != expected {
        fatalError("RecordDecoder emitted \(frames.count) frames (lengths \(frames.map(\.count))); the stream's valid records are \(expected.count) (lengths \(expected.map(\.count)))")
    }
    return 0
}
