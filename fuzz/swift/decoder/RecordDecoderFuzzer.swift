// libFuzzer target for the Swift `RecordDecoder` (fuzz/swift/build.sh: its module with -sanitize=fuzzer,address).
// Property: whatever the chunking and the idle time between bytes, the frames the decoder emits are exactly the
// valid records of the stream, in order — the wire's view (StepPlayer's oracle) decides which those are. Idle
// stretches end a partial record at its deadline, as the device's link does (SwiftNetifDriver.linkIdle).
import UartTunnelWire

nonisolated(unsafe) private var decoder = RecordDecoder(timeout: StepPlayer.frameTimeoutUnderTest,
                                                              maxFrame: StepPlayer.maxFrameUnderTest)
nonisolated(unsafe) private let player = StepPlayer()
private let origin = ContinuousClock.now

private func instant(_ microseconds: UInt64) -> ContinuousClock.Instant {
    origin + .microseconds(Int64(microseconds))
}

@_cdecl("LLVMFuzzerTestOneInput")
public func recordDecoderFuzzTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    player.play(data, size, receive: { bytes, at in
        decoder.feed(bytes, now: instant(at)) { event in
            if case .frame(let frame) = event { frame.withUnsafeBytes { player.delivered($0) } }
        }
    }, idle: { _, to in
        if !decoder.isIdle { decoder.expire(now: instant(to)) { _ in } }   // what the deadline within the stretch does
    })
    return 0
}
