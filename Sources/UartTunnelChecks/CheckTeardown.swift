#if canImport(Glibc)
import Glibc
#endif
import UartTunnelSystem

/// What a check leaves on the machine, removed whatever way the run ends: on SIGINT (Ctrl-C) or SIGTERM (a CI
/// timeout) the handler stops every child (SIGTERM, SIGKILL after a grace), deletes the network namespaces with
/// their interfaces, removes the temporary files, lets the caller print the partial report, and exits 130 or 143.
/// Were the check killed outright (SIGKILL), its children still get SIGTERM from the kernel (`ChildSpawn`) and
/// stop theirs; only namespaces would stay, named `ut-<suite>-<pid>-<n>` after the dead pid.
public enum CheckTeardown {
    /// Stops children, deletes namespaces, removes temporary files — in that order, as the children run inside
    /// the namespaces and write the files.
    public static func run(grace: Duration = .seconds(2)) {
        ChildProcess.terminateAll(grace: grace)
        NetworkNamespace.deleteAll()
        TemporaryPaths.removeAll()
    }

    /// Installs the SIGINT/SIGTERM handler for a check run that reports into `report`. `finish` prints or writes
    /// the partial report; the process then exits with `report.exitCode` (128 + the signal).
    public static func install(report: CheckReport, finish: @escaping @Sendable (CheckReport) -> Void) {
        Signals.onTermination { signal in
            report.interrupt(by: signal)
            run()
            finish(report)
            exit(report.exitCode)
        }
    }
}
