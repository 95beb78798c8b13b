import Foundation
import Logging
import Synchronization
import UartTunnelDevice
import UartTunnelLink
import UartTunnelSystem

/// How a `device` process ends, in one place: by a signal, by `--timeout`, by `--expect-text`/`--fail-text` on the
/// console. Whichever comes first stops the device, logs its counters, removes the ready file and the temporary
/// files (a firmware compile directory — also when the signal arrives mid-compile), then exits with its status.
final class DeviceRunControl: @unchecked Sendable {
    private let options: RunControlOptions
    private let logger: Logger
    private let device = Mutex<TunnelDevice?>(nil)
    private let ended = Atomic(false)
    private let expect: Regex<AnyRegexOutput>?
    private let fail: Regex<AnyRegexOutput>?

    init(options: RunControlOptions, logger: Logger) throws {
        self.options = options
        self.logger = logger
        expect = try options.expectText.map { try Regex($0) }
        fail = try options.failText.map { try Regex($0) }
    }

    /// Installed before anything is built, so that a signal during a firmware compile still cleans up.
    func install() throws {
        Signals.onTermination { [self] signal in end(.signal(signal)) }
        if options.watchesConsole {
            for fd in [Int32(1), 2] {
                try OutputWatch.start(fd) { [self] line in
                    // The device's own closing line quotes the matched text: it must not match again.
                    guard !ended.load(ordering: .acquiring), let ending = ending(for: line) else { return }
                    end(ending)
                }
            }
        }
        if let timeout = options.timeout {
            let status = options.timeoutExitCode ?? RunControlOptions.defaultTimeoutExitCode
            Thread.detachNewThread { [self] in
                Thread.sleep(forTimeInterval: timeout)
                end(.timeout(status))
            }
        }
    }

    /// The first matching line decides; fail text wins over expected text on the same line.
    func ending(for line: String) -> RunControlOptions.Ending? {
        if let fail, line.contains(fail) { return .failText(line) }
        if let expect, line.contains(expect) { return .expectedText(line) }
        return nil
    }

    /// The device is built (and listening): waits for a peer if asked, starts it, then says it is ready.
    func start(_ built: TunnelDevice) throws {
        device.withLock { $0 = built }
        let endpoint = built.link.source.endpoint
        if options.waitForPeer, let source = built.link.source as? TCPListenSource {
            announceReady(endpoint)
            logger.info("waiting for a peer on \(endpoint) before starting (--wait-for-peer)")
            _ = try source.listener.waitReadable(timeout: Duration?.none)
            try built.start(peerFirst: true)
        } else if options.waitForPeer {
            throw RuntimeError("--wait-for-peer needs a TCP --listen (a pty has no connect to wait for)")
        } else {
            try built.start()
            announceReady(endpoint)
        }
    }

    /// The line scripts wait for, and the ready file (written whole, then renamed, so a reader never sees half).
    private func announceReady(_ endpoint: String) {
        if let path = options.readyFile {
            let partial = path + ".partial"
            do {
                try Data((endpoint + "\n").utf8).write(to: URL(fileURLWithPath: partial))
                guard rename(partial, path) == 0 else {
                    throw SystemError(call: "rename(\(partial), \(path))", errno: errno)
                }
            } catch {
                logger.error("cannot write the ready file \(path): \(error)")
            }
        }
        // After the file: whoever waits for either finds both.
        FileHandle.standardOutput.write(Data("uart-tunnel device ready: UART1 on \(endpoint)\n".utf8))
    }

    func end(_ ending: RunControlOptions.Ending) {
        guard !ended.exchange(true, ordering: .acquiringAndReleasing) else { return }
        OutputWatch.restoreAll()
        let running = device.withLock { $0 }
        running?.stop()
        logger.info("\(ending.message): \(running.map { $0.status.summary } ?? "the device had not started")")
        if let path = options.readyFile { unlink(path) }
        TemporaryPaths.removeAll()
        fflush(nil)
        Foundation.exit(ending.status)
    }
}
