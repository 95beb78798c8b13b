import Logging
import Synchronization
import Testing
@testable import UartTunnelLog

/// The toolkit's log lines read like ESP-IDF's (`W (1234) tag: message`), so `grep "RX:"` and eyes trained on a
/// serial console work on both.
@Suite struct ESPLogHandlerTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
    }

    @Test func linesHaveESPIDFsShape() throws {
        let captured = Lines()
        let handler = ESPLogHandler(label: "uart_tunnel", level: .trace, output: captured.append)
        let logger = Logger(label: "uart_tunnel") { _ in handler }
        logger.warning("Invalid frame length: 5")
        logger.info("peer connected")
        logger.debug("wire: frame")
        logger.trace("RX: 98 bytes")
        logger.error("cannot bind")
        let lines = captured.lines.withLock { $0 }
        #expect(lines.count == 5)
        let shapes = [("W", "Invalid frame length: 5"), ("I", "peer connected"), ("D", "wire: frame"),
                      ("V", "RX: 98 bytes"), ("E", "cannot bind")]
        for (line, (letter, message)) in zip(lines, shapes) {
            #expect(line.wholeMatch(of: /([EWIDV]) \((\d+)\) uart_tunnel: (.*)\n/)?.output.1 == Substring(letter), "\(line)")
            #expect(line.hasSuffix(" uart_tunnel: \(message)\n"), "\(line)")
        }
    }

    @Test func theLevelFiltersAsESPLogLevelsDo() {
        let captured = Lines()
        let handler = ESPLogHandler(label: "t", level: .warning, output: captured.append)
        let logger = Logger(label: "t") { _ in handler }
        logger.info("hidden")
        logger.warning("shown")
        #expect(captured.lines.withLock { $0 }.map { $0.hasSuffix("t: shown\n") } == [true])
    }
}
