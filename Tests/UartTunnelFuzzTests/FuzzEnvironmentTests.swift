import Testing
@testable import UartTunnelFuzz

/// What every run of a fuzz binary is given: ClusterFuzz's 10 MB ASan quarantine unless the user says otherwise
/// (ASan takes the last of a repeated option), the hang limit, and no Swift backtracer.
@Suite struct FuzzEnvironmentTests {
    @Test func asanQuarantineIsClusterFuzzsAndTheUsersOptionsWin() {
        let plain = FuzzSession.harnessEnvironment([:], hangMilliseconds: 2000, stepLog: nil)
        #expect(plain["ASAN_OPTIONS"]?.hasPrefix("quarantine_size_mb=10") == true, "\(plain)")
        #expect(plain["UART_TUNNEL_FUZZ_HANG_MS"] == "2000")
        #expect(plain["SWIFT_BACKTRACE"] == "enable=no")
        #expect(plain["UART_TUNNEL_FUZZ_STEP_LOG"] == nil)

        let given = FuzzSession.harnessEnvironment(["ASAN_OPTIONS": "quarantine_size_mb=256:verbosity=1"],
                                                   hangMilliseconds: 2000, stepLog: "/tmp/log")
        #expect(given["ASAN_OPTIONS"] == "quarantine_size_mb=10:quarantine_size_mb=256:verbosity=1")
        #expect(given["UART_TUNNEL_FUZZ_STEP_LOG"] == "/tmp/log")
    }
}
