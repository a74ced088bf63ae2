import ChorusServer
import ChorusTesting
import Foundation
import NIOCore
import Testing

@Suite("Configuration: one table per section, and limits that must fit each other")
struct ConfigurationTests {
    static func decode(_ text: String) throws -> ServerConfiguration {
        try ConfigurationLoader.decode(text, source: "test")
    }

    @Test("an app with only credentials gets every default of the table")
    func defaults() throws {
        let app = try Self.decode("apps: [{id: 7, key: k, secret: s}]").apps[0]
        var expected = AppConfiguration(id: "7", key: "k", secret: "s")
        #expect(app == expected)
        expected.maxEventNameLength = 50
        expected.webhookDelivery.vacateDelayMilliseconds = 10
        let changed = try Self.decode(
            "apps: [{id: 7, key: k, secret: s, max_event_name_length: 50, webhook_delivery: {vacate_delay_ms: 10}}]"
        )
        #expect(changed.apps[0] == expected)
    }

    @Test("an unknown key is refused and the known ones are listed")
    func unknownKey() {
        #expect {
            try Self.decode("apps: [{id: 1, key: k, secret: s, max_event_name_lenght: 5}]")
        } throws: { error in
            "\(error)".contains("max_event_name_lenght") && "\(error)".contains("known: id, key, secret, enabled")
        }
    }

    @Test("a broken rule names the app and the setting")
    func ruleNamesTheField() throws {
        let configuration = try Self.decode(
            "apps: [{id: 1, key: k, secret: s, max_connections: -1, cache_ttl_seconds: 0, delta_min_bytes: -1}]"
        )
        #expect(
            configuration.problems() == [
                "app '1': max_connections must be 0 (unlimited) or positive, got -1",
                "app '1': cache_ttl_seconds must be between 1 and 1800, got 0",
                "app '1': delta_min_bytes must be at least 0, got -1",
            ]
        )
    }

    @Test("the HTTP timeouts are read in seconds, and each must be at least one")
    func httpTimeouts() throws {
        let configuration = try Self.decode(
            "{http_header_timeout_seconds: 2, http_body_timeout_seconds: 3, http_idle_timeout_seconds: 4}"
        )
        #expect(configuration.httpTimeouts == HTTPTimeouts(header: .seconds(2), body: .seconds(3), idle: .seconds(4)))
        let broken = try Self.decode("{http_header_timeout_seconds: 0, http_idle_timeout_seconds: -1}")
        #expect(
            broken.problems() == [
                "http_header_timeout_seconds must be at least 1, got 0",
                "http_idle_timeout_seconds must be at least 1, got -1",
            ]
        )
    }

    @Test("a configuration encodes to what decodes back to it")
    func roundTrip() throws {
        var configuration = ServerConfiguration.embeddedDefault
        configuration.apps[0].maxEventBatchSize = 3
        configuration.apps[0].webhooks = [WebhookTarget(url: "http://127.0.0.1/h", eventTypes: ["channel_vacated"])]
        let text = String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)
        let decoded = try Self.decode(text)
        #expect(decoded.apps == configuration.apps)
        #expect(decoded.port == configuration.port)
    }

    @Test("the default limits fit the default body and message caps")
    func defaultsFit() {
        let app = ServerConfiguration.defaultApp
        #expect(app.largestPublishBodyBytes == 102_400 + 256 + 200 + 100 * 167)
        #expect(app.largestClientEventBytes == 102_400 + 256 + 200 + 167)
        #expect(ServerConfiguration.embeddedDefault.problems().isEmpty)
    }

    @Test("max_event_payload_in_kb must fit in max_request_body_bytes: accepted at the edge, refused one byte below")
    func payloadFitsRequestBody() {
        var configuration = ServerConfiguration.embeddedDefault
        configuration.apps[0].maxEventPayloadInKB = 1024
        configuration.maxMessageBytes = configuration.apps[0].largestClientEventBytes
        configuration.maxRequestBodyBytes = configuration.apps[0].largestPublishBodyBytes
        #expect(configuration.problems().isEmpty)
        configuration.maxRequestBodyBytes -= 1
        let problems = configuration.problems()
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("app '1': max_event_payload_in_kb (1024)") == true)
        #expect(problems.first?.hasSuffix("over max_request_body_bytes (\(configuration.maxRequestBodyBytes))") == true)
    }

    @Test("max_event_payload_in_kb must fit in max_message_bytes: accepted at the edge, refused one byte below")
    func payloadFitsMessage() {
        var configuration = ServerConfiguration.embeddedDefault
        configuration.maxMessageBytes = configuration.apps[0].largestClientEventBytes
        #expect(configuration.problems().isEmpty)
        configuration.maxMessageBytes -= 1
        #expect(
            configuration.problems() == [
                "app '1': max_event_payload_in_kb (100) needs WebSocket messages of 103023 bytes with the JSON "
                    + "envelope, over max_message_bytes (103022)"
            ]
        )
    }

    @Test("every app one over the edge is named: the check covers each app, not just the first")
    func everyAppChecked() {
        var configuration = ServerConfiguration.embeddedDefault
        var second = AppConfiguration(id: "2", key: "k2", secret: "s2")
        second.maxEventPayloadInKB = 200
        configuration.apps.append(second)
        #expect(configuration.problems().map { $0.prefix(8) } == ["app '2':"])
    }

    @Test("docs/configuration.md's example shows every setting of the tables, with the default values")
    func docsListEverySetting() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/configuration.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let yaml = try #require(
            text.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "```").first
        )
        let keys =
            ServerConfiguration.settings.map(\.key) + AppConfiguration.settings.map(\.key)
            + WebhookDeliverySettings.settings.map(\.key) + WebhookTarget.settings.map(\.key)
            + StorageSettings.settings.map(\.key) + HistorySettings.settings.map(\.key)
            + PushSettings.settings.map(\.key) + AdapterSettings.settings.map(\.key)
        for key in keys { #expect(yaml.contains("\(key):"), "\(key) is missing from the example") }
        let decoded = try Self.decode(yaml)
        #expect(decoded.storage == StorageSettings())
        #expect(decoded.adapter == AdapterSettings())
        var example = decoded.apps[0]
        example.webhooks = []
        // The defaults of an app in a file (the embedded default app also keeps history).
        let defaults = ServerConfiguration.defaultApp
        #expect(example == AppConfiguration(id: defaults.id, key: defaults.key, secret: defaults.secret))
    }
}
