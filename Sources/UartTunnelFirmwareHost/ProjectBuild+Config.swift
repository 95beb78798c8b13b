import Foundation

extension ProjectBuild {
    /// Whether the project's generated sdkconfig.h (BUILD/cmake/config/sdkconfig.h, from the build now loaded) sets the
    /// bool option `name` (`#define CONFIG_NAME 1`): for what the host layer does on the firmware's behalf, such as
    /// lwIP's forwarding between netifs (CONFIG_LWIP_IP_FORWARD).
    func configFlag(_ name: String) -> Bool {
        guard let header = try? String(contentsOfFile: cmakeDirectory + "/config/sdkconfig.h", encoding: .utf8) else {
            return false
        }
        return header.split(separator: "\n").contains { line in
            line.split(whereSeparator: { $0 == " " || $0 == "\t" }) == ["#define", Substring(name), "1"]
        }
    }
}
