import ChorusConformance
import Foundation
import Testing

/// Levels decide the verdict; every report format carries level, capability, rule and source.
@Suite struct ConformanceReportTests {
    static let rule = ConformanceRule(id: "ws.ping.pusher", text: "pusher:ping is answered", source: "protocol.md")

    static func result(_ name: String, _ level: CaseLevel, _ outcome: CaseResult.Outcome) -> CaseResult {
        CaseResult(
            name: name,
            tags: ["ws"],
            source: "protocol.md",
            level: level,
            requires: level == .info ? ["delta"] : [],
            rule: rule,
            outcome: outcome,
            detail: outcome == .passed ? nil : "at $.data: expected 1, got 2"
        )
    }

    @Test func mustFailuresFailTheRunShouldFailuresWarn() {
        let warnings = ConformanceReport(
            target: "t",
            results: [
                Self.result("a", .must, .passed), Self.result("b", .should, .failed), Self.result("c", .info, .failed),
            ]
        )
        #expect(!warnings.failsRun)
        #expect(warnings.warnings == 1 && warnings.notes == 1 && warnings.mustFailures == 0)
        #expect(warnings.table.contains("WARN    should  b"))
        #expect(warnings.table.contains("note    info    c"))
        var strict = warnings
        strict.strict = true
        #expect(strict.failsRun)
        let failing = ConformanceReport(target: "t", results: [Self.result("a", .must, .failed)])
        #expect(failing.failsRun)
        #expect(failing.table.contains("rule: ws.ping.pusher: pusher:ping is answered"))
    }

    @Test func junitCarriesLevelCapabilityRuleAndSource() {
        let report = ConformanceReport(
            target: "t",
            results: [
                Self.result("a", .must, .failed), Self.result("b", .should, .failed), Self.result("c", .info, .passed),
            ]
        )
        let xml = report.junitXML
        #expect(xml.contains(#"failures="1""#))
        #expect(xml.contains(#"<failure type="must" message="at $.data: expected 1, got 2">rule ws.ping.pusher"#))
        #expect(xml.contains(#"<property name="level" value="should"/>"#))
        #expect(xml.contains(#"<property name="requires" value="delta"/>"#))
        #expect(xml.contains(#"<property name="rule" value="ws.ping.pusher"/>"#))
        #expect(xml.contains(#"<property name="source" value="protocol.md"/>"#))
        #expect(xml.contains("<system-out>warning (should)"))
    }

    @Test func jsonCarriesLevelCapabilityRuleAndSource() throws {
        let report = ConformanceReport(target: "t", results: [Self.result("c", .info, .failed)])
        let document = try #require(try JSONSerialization.jsonObject(with: report.json()) as? [String: Any])
        #expect(document["must_failures"] as? Int == 0)
        #expect(document["notes"] as? Int == 1)
        let first = try #require((document["cases"] as? [[String: Any]])?.first)
        #expect(first["level"] as? String == "info")
        #expect(first["requires"] as? [String] == ["delta"])
        #expect((first["rule"] as? [String: Any])?["id"] as? String == "ws.ping.pusher")
        #expect(first["source"] as? String == "protocol.md")
        #expect(first["detail"] as? String == "at $.data: expected 1, got 2")
    }

    @Test func profilesAndCapabilityLists() throws {
        #expect(ServerProfile.pusher.capabilities.contains("user_signin"))
        #expect(!ServerProfile.pusher.capabilities.contains("delta"))
        #expect(ServerProfile.sockudo.capabilities.isSuperset(of: ["delta", "tag_filters", "history", "push"]))
        let adjusted = try ServerProfile.apply("delta, -cache_channels", to: ServerProfile.pusher.capabilities)
        #expect(adjusted.contains("delta") && !adjusted.contains("cache_channels"))
        #expect(throws: CaseFileError.self) { try ServerProfile.apply("teleport", to: []) }
        let target = ConformanceTarget(
            host: "h",
            port: 1,
            app: .init(id: "1", key: "k", secret: "s"),
            features: ServerProfile.pusher.capabilities
        )
        #expect(target.skipReason(for: ["delta"])?.contains("--capabilities delta") == true)
        #expect(target.skipReason(for: ["cache_channels"]) == nil)
    }
}
