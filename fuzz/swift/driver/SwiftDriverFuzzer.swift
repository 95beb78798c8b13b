// libFuzzer target for the Swift reference driver (SwiftNetifDriver: RecordDecoder in front of TunnelNetif) on
// Debian's real liblwip (fuzz/swift/build.sh: UartTunnelWire, UartTunnelLwIP and UartTunnelDevice with
// -sanitize=fuzzer,address). Each input is played by StepPlayer into the driver's `linkReceived`, as the device's
// link calls it, with `linkIdle` at each partial-record deadline an idle stretch reaches.
//
// The property is checked where the issue puts it, at netif->input: the netif's input function is wrapped, and
// every frame reaching it from the driver must be the next valid record of the stream (StepPlayer's oracle).
// The wrapper then hands the frame to lwIP's ethernet_input at once under the core lock — what lwIP's
// LWIP_TCPIP_CORE_LOCKING_INPUT does in place of tcpip_input's mailbox — so lwIP processes each frame before the
// next arrives and a run does not depend on when tcpip_thread is scheduled. A frame lwIP itself puts in while it
// processes one (the adapter's local answer to an ARP request for the gateway, StaticGatewayARP) is not from the
// stream: it is queued and processed after, as the mailbox would, and not compared.
// After each input lwIP is reset (fuzz/harness/lwip_reset.h) and the gateway entry seeded again, so the next
// input starts as the driver did.
import CFuzzLwIPReset
import CLwIP
import CLwIPShims
import Glibc
import Logging
import UartTunnelDevice
import UartTunnelLwIP
import UartTunnelWire

nonisolated(unsafe) private let player = StepPlayer()
private let origin = ContinuousClock.now
nonisolated(unsafe) private var transmitted = 0
nonisolated(unsafe) private var inLwIP = false
nonisolated(unsafe) private var localFrames: [UnsafeMutablePointer<pbuf>] = []
nonisolated(unsafe) private var scratch = [UInt8](repeating: 0, count: 65_536)
private let harnessThread = pthread_self()

private func instant(_ microseconds: UInt64) -> ContinuousClock.Instant {
    origin + .microseconds(Int64(microseconds))
}

/// The wrapped netif->input: check, then lwIP at once (see the top of this file).
private let checkedInput: netif_input_fn = { p, netif in
    guard let p, let netif else { return err_t(ERR_ARG.rawValue) }
    guard pthread_equal(pthread_self(), harnessThread) != 0 else {
        return tcpip_input(p, netif)   // not the driver's: a frame from lwIP's own thread goes the usual way
    }
    if inLwIP {
        localFrames.append(p)
        return err_t(ERR_OK.rawValue)
    }
    let length = Int(p.pointee.tot_len)
    let copied = scratch.withUnsafeMutableBytes { Int(pbuf_copy_partial(p, $0.baseAddress, UInt16(length), 0)) }
    scratch.withUnsafeBytes { player.delivered(UnsafeRawBufferPointer(rebasing: $0[..<copied])) }
    process(p, netif)
    return err_t(ERR_OK.rawValue)
}

/// ethernet_input under the core lock, then whatever lwIP queued meanwhile (bounded: lwIP answers each frame with
/// at most a few).
private func process(_ p: UnsafeMutablePointer<pbuf>, _ netif: UnsafeMutablePointer<netif>) {
    inLwIP = true
    withLwIPCore { _ = ethernet_input(p, netif) }
    for _ in 0..<64 where !localFrames.isEmpty {
        let next = localFrames.removeFirst()
        withLwIPCore { _ = ethernet_input(next, netif) }
    }
    inLwIP = false
}

private let driver: SwiftNetifDriver = {
    var configuration = DeviceConfiguration()
    configuration.httpPort = 0
    configuration.tunnel.maxFrame = StepPlayer.maxFrameUnderTest
    configuration.frameTimeout = StepPlayer.frameTimeoutUnderTest
    var logger = Logger(label: "swift-driver-fuzzer")
    logger.logLevel = .critical   // bad lengths and timeouts are the fuzzer's daily bread, not news
    let driver = SwiftNetifDriver(configuration: configuration, logger: logger, send: { record in
        transmitted += 1
        record.withUnsafeBytes { player.noteSent($0) }
    })
    _ = harnessThread   // (a lazy global) taken here, on the thread that plays the inputs
    withLwIPCore { driver.netif.netif.pointee.input = checkedInput }
    return driver
}()

private func resetLwIP() {
    withLwIPCore { _ = fuzz_lwip_reset(driver.netif.netif) }
    let seed = StaticGatewayARP(configuration: driver.addresses).reply
    inLwIP = true   // the adapter's own seed of the gateway entry, as at link-up: not from the stream
    driver.netif.input(frame: seed)
    inLwIP = false
    if !localFrames.isEmpty { process(localFrames.removeFirst(), driver.netif.netif) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func swiftDriverFuzzTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    player.play(data, size, receive: { bytes, at in
        driver.linkReceived(bytes, at: instant(at))
    }, idle: { _, to in
        if let deadline = driver.nextDeadline, deadline <= instant(to) { driver.linkIdle(at: deadline) }
    })
    resetLwIP()
    return 0
}
