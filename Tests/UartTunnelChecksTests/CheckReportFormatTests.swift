import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import UartTunnelChecks

/// The report as CI reads it: exit statuses, the JSON schema (snake_case, ids, parameters, durations, figures),
/// JUnit XML that an XML parser accepts with the right counts, and the partial report of an interrupted run.
@Suite struct CheckReportFormatTests {
    static func report(_ outcomes: [CheckResult.Outcome], parameters: [String: String] = [:]) -> CheckReport {
        let report = CheckReport()
        let section = report.section(parameters: parameters)
        for (index, outcome) in outcomes.enumerated() {
            section.run("device (firmware)", "check \(index) <&\">") {
                switch outcome {
                case .pass: return "rtt 1ms 450μs"
                case .fail: throw CheckFailure("broke\nwith a log line")
                case .skip: throw CheckSkip("needs root")
                }
            }
        }
        report.append(section)
        return report
    }

    @Test func exitCodesFollowCTest() {
        #expect(Self.report([.pass, .skip]).exitCode == 0)
        #expect(Self.report([.pass, .fail, .skip]).exitCode == 1)
        #expect(Self.report([.skip, .skip]).exitCode == 77, "all skipped is CTest's SKIP_RETURN_CODE")
        #expect(Self.report([]).exitCode == 1, "a run that checked nothing did not pass")
        let interrupted = Self.report([.pass])
        interrupted.interrupt(by: SIGINT)
        #expect(interrupted.exitCode == 130)
        let terminated = Self.report([.pass])
        terminated.interrupt(by: SIGTERM)
        #expect(terminated.exitCode == 143)
    }

    @Test func jsonHasSchemaIdsParametersDurationsAndNumericFigures() throws {
        let report = Self.report([.pass, .fail], parameters: ["driver": "firmware", "baud": "115200"])
        let text = report.json(toolVersion: "9.8.7", command: "check device")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(document["schema_version"] as? Int == 1)
        #expect(document["tool_version"] as? String == "9.8.7")
        #expect(document["command"] as? String == "check device")
        #expect(document["exit_code"] as? Int == 1)
        #expect(document["passed"] as? Int == 1 && document["failed"] as? Int == 1)
        let results = try #require(document["results"] as? [[String: Any]])
        let first = try #require(results.first)
        #expect(first["id"] as? String == "device.check-0")
        #expect(first["parameters"] as? [String: String] == ["driver": "firmware", "baud": "115200"])
        #expect((first["duration_seconds"] as? Double).map { $0 >= 0 } == true)
        let figures = try #require(first["figures"] as? [[String: Any]])
        #expect(figures.count == 1)
        #expect(figures.first?["name"] as? String == "rtt")
        #expect(figures.first?["unit"] as? String == "ms")
        #expect(abs((figures.first?["value"] as? Double ?? 0) - 1.45) < 1e-9)
        // One key style: no camelCase key anywhere.
        #expect(text.range(of: #""[a-z]+[A-Z][A-Za-z]*" :"#, options: .regularExpression) == nil, "\(text)")
    }

    @Test func figuresAreReadIntoNumbersWithUnits() {
        #expect(CheckFigure.parse("0 of 26 frames") == [CheckFigure(name: "", value: 0, unit: "frames", of: 26)])
        #expect(CheckFigure.parse("median 0.392 ms") == [CheckFigure(name: "median", value: 0.392, unit: "ms")])
        #expect(CheckFigure.parse("16/16") == [CheckFigure(name: "", value: 16, unit: "", of: 16)])
        #expect(CheckFigure.parse("reply 1514 B") == [CheckFigure(name: "reply", value: 1514, unit: "B")])
        #expect(CheckFigure.parse("ok").isEmpty)
    }

    @Test func junitParsesWithTheRightCounts() throws {
        let report = Self.report([.pass, .fail, .skip], parameters: ["driver": "firmware"])
        let xml = report.junit(command: "check all")
        let document = try XMLDocument(data: Data(xml.utf8))
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        #expect(root.attribute(forName: "tests")?.stringValue == "3")
        #expect(root.attribute(forName: "failures")?.stringValue == "1")
        #expect(root.attribute(forName: "skipped")?.stringValue == "1")
        let cases = try root.nodes(forXPath: "//testcase")
        #expect(cases.count == 3)
        #expect(try root.nodes(forXPath: "//testcase/failure").count == 1)
        #expect(try root.nodes(forXPath: "//testcase/skipped").count == 1)
        #expect(try root.nodes(forXPath: "//property[@name='driver'][@value='firmware']").count == 1)
        // The name with XML's special characters survived escaping.
        #expect((cases.first as? XMLElement)?.attribute(forName: "name")?.stringValue == "check 0 <&\">")
    }

    @Test func anInterruptedReportHasTheSectionsSoFarAndRecordsNothingLater() {
        let report = CheckReport()
        let running = report.section(parameters: ["mode": "tap"])
        running.run("bridge (tap)", "interface up") { "tap" }
        report.interrupt(by: SIGINT)
        running.run("bridge (tap)", "ping after the children were stopped") { throw CheckFailure("no reply") }
        #expect(report.results.map(\.name) == ["interface up"])
        #expect(report.table().hasPrefix("interrupted by SIGINT"))
        #expect(report.junit(command: "check all").contains(#"name="run completed""#))
    }
}
