import Foundation

/// The one JSON style of every machine-readable report (`check --json`, `audit --json`, `decode --json`):
/// snake_case keys, as ESP-IDF's tools and Wireshark's users read them and as `/api/status` already has them,
/// sorted and indented, with a schema version that changes when a field changes meaning or goes away.
public enum ReportJSON {
    /// Version 1: check reports with ids, parameters, durations and figures; audit with the tool version.
    public static let schemaVersion = 1

    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func encode(_ value: some Encodable) -> String {
        String(decoding: (try? encoder().encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
