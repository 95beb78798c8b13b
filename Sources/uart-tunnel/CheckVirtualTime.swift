import Foundation
import UartTunnelChecks
import UartTunnelFuzz

/// `check device --virtual-time`: the device suite's kinds of case (the seed corpus, FuzzSeedCorpus) played into
/// the driver on the fuzz harness's virtual clock, one run each: the 1 s partial-frame rule and every other
/// timeout pass in microseconds. A case passes when the wire's view finds every valid record delivered to
/// netif->input unaltered, the host layer's probes name no defect, no sanitizer fires, and the driver answers
/// the canary ARP request that ends every case.
extension CheckDevice {
    func runVirtualTime(into report: CheckReport) {
        let label = "device (\(driver.label), virtual time)"
        let choice = driver.fuzzTargetChoice
        var binary: String?
        report.run(label, "build the driver as `fuzz` does (ASan, UBSan, virtual time)") {
            let build = try choice.build { _ in }
            binary = build.binary
            return build.cached ? "build cache hit" : "built"
        }
        guard let binary else { return }
        let player = VirtualReplay(binary: binary)
        for seed in FuzzSeedCorpus.seeds {
            report.run(label, seed.name, id: "virtual-\(seed.name)") {
                let result = try player.run(seed.input, espLogLevel: 1, hangMilliseconds: DriverOptions.oneInputHangMilliseconds,
                                            environment: driver.oneInputEnvironment, echo: false)
                if let finding = result.finding {
                    throw CheckFailure("\(finding.kind): \(finding.summary)")
                }
                guard result.answeredTheCanary else {
                    throw CheckFailure("the canary ARP request after the case got no ARP reply")
                }
                return String(format: "clean, canary answered: %.1f s of virtual time in %.0f ms",
                              Double(result.virtualMicroseconds) / 1e6, result.realSeconds * 1000)
            }
        }
    }
}
