#if canImport(Glibc)
import Glibc
#endif

/// A kernel setting under `/proc/sys` (what `sysctl` reads and writes), e.g. `net/ipv6/conf/tun0/accept_ra`.
public struct KernelSetting: Sendable, CustomStringConvertible {
    public let key: String

    public init(_ key: String) {
        self.key = key
    }

    public var path: String { "/proc/sys/" + key }
    public var description: String { key.replacingOccurrences(of: "/", with: ".") }

    /// Whether the kernel has it (an interface's IPv6 settings are absent when IPv6 is disabled).
    public var exists: Bool { access(path, F_OK) == 0 }

    /// The value, without its trailing newline.
    public func read() throws(SystemError) -> String {
        let fd = try retryingInterrupts("open(\(path))") { open(path, O_RDONLY | O_CLOEXEC) }
        defer { Glibc.close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = try retryingInterrupts("read(\(path))") {
            buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        }
        return String(decoding: buffer[..<count], as: UTF8.self).trimmingSuffix("\n")
    }

    public func write(_ value: String) throws(SystemError) {
        let fd = try retryingInterrupts("open(\(path))") { open(path, O_WRONLY | O_CLOEXEC) }
        defer { Glibc.close(fd) }
        let bytes = Array(value.utf8)
        _ = try retryingInterrupts("write(\(path))") {
            bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        }
    }
}

private extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
