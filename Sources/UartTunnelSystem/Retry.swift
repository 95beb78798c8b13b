#if canImport(Glibc)
import Glibc
#endif

/// Runs a system call until it does not fail with EINTR: a signal arriving mid-call (SIGINT, a debugger, a timer)
/// must not look like an I/O error. Any other failure (result -1) becomes a `SystemError` named `call`.
@inline(__always)
func retryingInterrupts<Result: BinaryInteger>(
    _ call: @autoclosure () -> String, _ body: () -> Result
) throws(SystemError) -> Result {
    while true {
        let result = body()
        if result >= 0 { return result }
        let code = Glibc.errno
        if code == EINTR { continue }
        throw SystemError(call: call(), errno: code)
    }
}

/// Wraps the `CUartTunnelLinux_` helpers, which return 0 or a positive errno instead of setting errno.
@inline(__always)
func checkingReturnedErrno(_ call: @autoclosure () -> String, _ code: Int32) throws(SystemError) {
    if code != 0 { throw SystemError(call: call(), errno: code) }
}
