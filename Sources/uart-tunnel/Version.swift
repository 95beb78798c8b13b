import ArgumentParser

/// `uart-tunnel --version`.
let uartTunnelVersion = "0.1.0"

/// An error while running (a file that cannot be read, a port in use), not a mistake in the command line:
/// ArgumentParser prints it as one `Error: …` line and exits 1, without the usage block a `ValidationError` gets.
struct RuntimeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
