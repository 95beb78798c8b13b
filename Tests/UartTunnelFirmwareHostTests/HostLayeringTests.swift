import UartTunnelTestSupport
import Foundation
import Testing

/// The ESP-IDF host layer's calls go only down (base → rtos → system → drivers → netif → wifi → http → probes → toolkit,
/// see `CShims/CEspIdfHost/src/base/base.h`): no file includes a higher layer's header or calls a `host_…` or
/// `CEspIdfHost_…` function defined in a higher layer. Read from the sources, so a new upward call fails here.
@Suite(.ownThreads) struct HostLayeringTests {
    static let layers = ["base", "rtos", "system", "drivers", "netif", "wifi", "http", "probes", "toolkit"]
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../CShims/CEspIdfHost/src").standardized

    struct SourceFile {
        let path: String
        let layer: String
        let text: String
    }

    static func files() throws -> [SourceFile] {
        var files: [SourceFile] = []
        for layer in layers {
            let directory = source.appendingPathComponent(layer)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path)
            where name.hasSuffix(".c") || name.hasSuffix(".h") {
                let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                files.append(SourceFile(path: "\(layer)/\(name)", layer: layer, text: text))
            }
        }
        return files
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } }
    }

    @Test func everyLayerHasSourcesAndThereIsNoSharedCatchAllHeader() throws {
        let files = try Self.files()
        for layer in Self.layers {
            #expect(files.contains { $0.layer == layer }, "layer \(layer) has no files")
        }
        #expect(!FileManager.default.fileExists(atPath: Self.source.appendingPathComponent("host_internal.h").path))
    }

    @Test func callsAndIncludesGoOnlyDown() throws {
        let files = try Self.files()
        // where each host_/CEspIdfHost_ function is defined: "name(...) {" at the start of a line
        var definedIn: [String: String] = [:]
        for file in files where file.path.hasSuffix(".c") {
            for name in Self.matches(#"^[A-Za-z_][\w \t\*]*?\b((?:host|CEspIdfHost)_\w+)\s*\([^;{]*\)\s*\{"#, in: file.text) {
                definedIn[name] = file.layer
            }
        }
        #expect(definedIn.count > 50, "the scan found the definitions: \(definedIn.count)")
        var upward: [String] = []
        for file in files {
            let rank = Self.layers.firstIndex(of: file.layer)!
            for called in Set(Self.matches(#"\b((?:host|CEspIdfHost)_\w+)\s*\("#, in: file.text)) {
                if let layer = definedIn[called], Self.layers.firstIndex(of: layer)! > rank {
                    upward.append("\(file.path) calls \(called) (\(layer))")
                }
            }
            for included in Self.matches(#"#include "(\w+)/\w+\.h""#, in: file.text) {
                if let index = Self.layers.firstIndex(of: included), index > rank {
                    upward.append("\(file.path) includes a \(included) header")
                }
            }
        }
        #expect(upward.isEmpty, "\(upward.joined(separator: "\n"))")
    }
}
