import Synchronization

/// Capture files across esp_restart: the device process that replaces itself (a chip reset, see DeviceRestart)
/// opens its capture files again, and they must keep what the first process wrote. Set before captures open; a
/// regular file then gets appended to — pcapng as a new section (a valid pcapng file with several sections, one
/// per boot), classic pcap as more records after the first process's header.
public enum CaptureContinuation {
    private static let continuing = Atomic(false)

    public static func continueExistingFiles() { continuing.store(true, ordering: .releasing) }

    static var isContinuing: Bool { continuing.load(ordering: .acquiring) }
}

extension CaptureDestination {
    var continuesFile: Bool { false }
}
