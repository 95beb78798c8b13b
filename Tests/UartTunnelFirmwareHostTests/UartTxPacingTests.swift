import Foundation
import Testing
import UartTunnelSystem
import UartTunnelTestSupport
@testable import UartTunnelChecks

/// On a paced line (`--baud`) the firmware's uart_write_bytes blocks as on a chip (issue 15 item 1): the UART sends
/// at the line rate whatever the listener does, and ESP-IDF v5.4's uart_tx_all returns once the last bytes are in
/// its TX ring (xRingbufferSend) or, with no ring, in the 128-byte hardware FIFO (tx_fifo_sem); uart_wait_tx_done
/// waits for the line to go idle. So a write of n bytes with a ring of r must take at least (n − r − 128) character
/// times, and uart_wait_tx_done must return no sooner than n character times after the write began: lower bounds
/// from the line rate alone. A peer that stops reading must add no time (the link drops records, counted): there
/// the same lower bounds hold and the upper bound is generous (3× the model + 1 s). The probe measures on the host
/// clock (esp_timer_get_time); the test reads its lines.
@Suite(.ownThreads) struct UartTxPacingTests {
    static let baud = 4_000_000
    /// 8N1: 10 bits per character.
    static let characterMicroseconds = 10.0 / Double(baud) * 1e6

    struct Timing {
        let ring: Int, bytes: Int, writeMicroseconds: Int, doneMicroseconds: Int, status: Int
        var writeModel: Double { Double(max(0, bytes - ring - 128)) * UartTxPacingTests.characterMicroseconds }
        var doneModel: Double { Double(bytes) * UartTxPacingTests.characterMicroseconds }
    }

    static func timings(_ output: String) -> [Timing] {
        output.matches(of: /TXTIME ring (\d+) bytes (\d+) write_us (\d+) done_us (\d+) status (-?\d+)/).map {
            Timing(ring: Int($0.1)!, bytes: Int($0.2)!, writeMicroseconds: Int($0.3)!, doneMicroseconds: Int($0.4)!,
                   status: Int($0.5)!)
        }
    }

    /// Runs the probe; a peer that does not read first has the probe write until the link drops records for it.
    static func run(peerReads: Bool) throws -> (timings: [Timing], output: String) {
        let device = try FirmwareDeviceProcess(["--driver", FirmwareDeviceProcess.fixture("probes/uart_tx_pacing_probe.c"),
                                                "--baud", "\(baud)"])
        let peer = try TCPSocket.connect(to: device.address, receiveBufferBytes: 4096)
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            for _ in 0..<1_000_000 {  // until the device closes the connection
                guard let count = try? peer.read(into: &buffer), count > 0 else { return }
            }
        }
        if peerReads {
            reader.start()
            try peer.writeAll(Array("G".utf8))
        } else {
            // records until the link has dropped some for this peer, then the measured bursts
            try peer.writeAll(Array("S".utf8))
            let stalled = device.child.waitForOutput(containing: "is not reading", timeout: .seconds(40))
            try peer.writeAll(Array("G".utf8))
            try #require(stalled, "the link never saw the stall: \(device.output.suffix(2000))")
        }
        let finished = device.child.waitForOutput(containing: "TXTIME finished", timeout: .seconds(30))
        _ = device.child.terminate()  // waits for the exit, so the output ends with the summary line
        let output = device.output
        peer.close()
        try #require(finished, "\(output.suffix(2000))")
        return (timings(output), output)
    }

    static func checkLowerBounds(_ timings: [Timing], _ output: String) {
        #expect(timings.map(\.ring) == [2048, 0], "\(output.suffix(2000))")
        #expect(timings.map(\.bytes) == [64 * 1002, 32 * 1002])
        for timing in timings {
            #expect(timing.status == 0, "uart_wait_tx_done with portMAX_DELAY: ESP_OK")
            // 1 µs for the clock's rounding
            #expect(Double(timing.writeMicroseconds) >= timing.writeModel - 1, "\(timing)")
            #expect(Double(timing.doneMicroseconds) >= timing.doneModel - 1, "\(timing)")
        }
    }

    @Test func uartWriteBytesBlocksAsTheTXRingAndLineRateDictate() throws {
        let (timings, output) = try Self.run(peerReads: true)
        Self.checkLowerBounds(timings, output)
        print("paced TX, reading peer: \(timings)")
    }

    @Test func aStalledPeerAddsNoBlockingToUartWriteBytes() throws {
        // The measured writes start only after the link has reported dropping records for this peer.
        let (timings, output) = try Self.run(peerReads: false)
        let summary = try #require(output.split(separator: "\n").last { $0.contains("stopped by signal 15") })
        let dropped = try #require(summary.firstMatch(of: /dropped peer not reading (\d+)/).flatMap { Int($0.1) })
        #expect(dropped > 0, "\(summary)")
        Self.checkLowerBounds(timings, output)
        for timing in timings {
            #expect(Double(timing.writeMicroseconds) <= 3 * timing.writeModel + 1e6, "\(timing)")
            #expect(Double(timing.doneMicroseconds) <= 3 * timing.doneModel + 1e6, "\(timing)")
        }
        print("paced TX, stalled peer: \(timings)")
    }
}
