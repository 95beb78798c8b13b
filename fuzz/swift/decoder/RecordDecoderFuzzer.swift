// libFuzzer target for the Swift `RecordDecoder` (fuzz/swift/build.sh: its module instrumented with coverage and ASan).
// Property: whatever the chunking and the idle time between bytes, the frames the decoder emits are exactly the
// valid records of the stream, in order — the wire's view (StepPlayer's oracle) decides which those are. Idle
// stretches end a partial record at its deadline, as the device's link does (SwiftNetifDriver.linkIdle). Frames are
// taken lent (`feed(_:now:lending:_:)`): the oracle compares them where they lie, the owning API is a copy on top.
import UartTunnelWire

/// The target's state, built on the first input. One reference, nil until then: a global of its own for the decoder
/// (whose size is known only at run time, ContinuousClock.Instant's layout being resilient) would cost a lazy
/// initialisation check and a metadata lookup on every input.
private final class DecoderHarness {
    var decoder = RecordDecoder(timeout: StepPlayer.frameTimeoutUnderTest, maxFrame: StepPlayer.maxFrameUnderTest)
    let player = StepPlayer()
    let origin = ContinuousClock.now

    func instant(_ microseconds: UInt64) -> ContinuousClock.Instant {
        origin + .microseconds(Int64(microseconds))
    }
}

nonisolated(unsafe) private var harness: DecoderHarness? = nil

@_cdecl("LLVMFuzzerTestOneInput")
public func recordDecoderFuzzTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let target = harness ?? DecoderHarness()
    harness = target
    let player = target.player
    player.play(data, size, receive: { bytes, at in
        target.decoder.feed(bytes, now: target.instant(at), lending: { player.delivered($0) }, { _ in })
    }, idle: { _, to in
        // what the deadline within the stretch does
        if !target.decoder.isIdle { target.decoder.expire(now: target.instant(to)) { _ in } }
    })
    return 0
}
