import Foundation

#if arch(x86_64)
private let readCall = 0
#elseif arch(arm64)
private let readCall = 63
#endif

/// Whether a thread of this process is inside read(2) on `descriptor` now (/proc/self/task/*/syscall: the call's
/// number, then its first argument). A test that wants a reader asleep before it acts (a shutdown that must wake
/// it) waits on this with `eventually`, instead of sleeping and hoping the reader got there.
public func aThreadIsReading(_ descriptor: Int32) -> Bool {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    return tasks.contains { task in
        guard let text = try? String(contentsOfFile: "/proc/self/task/\(task)/syscall", encoding: .utf8) else { return false }
        let fields = text.split(separator: " ")
        return fields.count > 1 && Int(fields[0]) == readCall && Int(fields[1].dropFirst(2), radix: 16) == Int(descriptor)
    }
}
