import ArgumentParser

@main
struct UartTunnel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uart-tunnel",
        abstract: "Test an ESP32 UART IP tunnel without QEMU: the real lwIP, the host bridge, conformance checks.",
        discussion: """
            The wire format is the seed firmware's: each Ethernet frame (14...1518 bytes) goes over UART1 behind \
            a 2-byte big-endian length. `device` stands in for the ESP32 (QEMU's UART1 chardev on TCP 5556) with \
            Debian's liblwip as 192.168.100.2; `bridge` connects it to a TAP/TUN interface 192.168.100.1/24.
            """,
        version: uartTunnelVersion,
        subcommands: [DeviceCommand.self, BridgeCommand.self, CheckCommand.self, BenchCommand.self, DecodeCommand.self,
                      AuditCommand.self]
    )
}
