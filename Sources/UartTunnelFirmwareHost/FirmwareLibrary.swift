import Foundation

/// The compiled firmware, loaded with `dlopen(RTLD_NOW)`: every undefined symbol must resolve now (against this
/// executable's host layer and liblwip), so a missing function is an error naming it before anything runs.
final class FirmwareLibrary: @unchecked Sendable {
    let path: String
    private let handle: UnsafeMutableRawPointer

    init(path: String) throws(FirmwareError) {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw .loadFailed(dlerror().map { String(cString: $0) } ?? "unknown error")
        }
        self.path = path
        self.handle = handle
    }

    /// The `void f(void)` function `name`, e.g. app_main.
    func entry(named name: String) throws(FirmwareError) -> @convention(c) () -> Void {
        guard let symbol = dlsym(handle, name) else { throw .entryMissing(name) }
        return unsafeBitCast(symbol, to: (@convention(c) () -> Void).self)
    }

    // Never dlclose'd: firmware tasks keep running its code until the process ends.
}
