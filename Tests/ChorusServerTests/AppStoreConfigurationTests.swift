import ChorusServer
import ChorusStorage
import Foundation
import Testing

@Suite("The app_store section and apps as the store keeps them")
struct AppStoreConfigurationTests {
    static func decode(_ text: String) throws -> ServerConfiguration {
        try ConfigurationLoader.decode(text, source: "test")
    }

    @Test("app_store is off by default; with a store, the file may name no app and gets no default one")
    func section() throws {
        #expect(try Self.decode("port: 1").appStore.driver == .none)
        #expect(try Self.decode("apps: []").problems().contains { $0.hasPrefix("apps must name at least one app") })

        let store = try Self.decode("app_store: {driver: sqlite, path: /tmp/apps.sqlite, refresh_seconds: 0.5}")
        #expect(store.apps.isEmpty)
        #expect(store.appStore.path == "/tmp/apps.sqlite" && store.appStore.refreshSeconds == 0.5)
        #expect(store.problems().isEmpty)

        let both = try Self.decode(
            "app_store: {driver: postgres, url: 'postgres://u@h/db'}\napps: [{id: 1, key: k, secret: s}]"
        )
        #expect(both.apps.map(\.id) == ["1"] && both.appStore.refreshSeconds == 2)
        #expect(both.problems().isEmpty)
    }

    @Test("app_store problems name their field")
    func problems() throws {
        let badURL = try Self.decode("app_store: {driver: postgres, url: 'mysql://x'}")
        #expect(badURL.problems() == ["app_store.url must be a postgres:// URL for driver postgres"])
        let badRefresh = try Self.decode("app_store: {driver: sqlite, refresh_seconds: 0}")
        #expect(badRefresh.problems() == ["app_store.refresh_seconds must be between 0.01 and 3600, got 0.0"])
        #expect(throws: ConfigurationError.self) { try Self.decode("app_store: {driver: mysql}") }
        #expect(throws: ConfigurationError.self) { try Self.decode("app_store: {drivers: sqlite}") }
    }

    @Test("an app environment override needs an app to override")
    func environmentWithoutApps() throws {
        let path = "/tmp/chorus-app-store-config-\(UInt64.random(in: 0...UInt64.max)).yaml"
        try "app_store: {driver: sqlite, path: /tmp/x.sqlite}".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(path: path, environment: ["CHORUS_APP_KEY": "k"])
        }
        #expect(try ConfigurationLoader.load(path: path, environment: [:]).apps.isEmpty)
    }

    @Test("a stored app keeps its credentials and the settings that differ from the defaults, and reads back whole")
    func storedDocument() throws {
        var app = AppConfiguration(id: "5", key: "k5", secret: "s5")
        app.maxConnections = 100
        app.history.enabled = true
        let stored = try app.stored()
        #expect(stored.id == "5" && stored.key == "k5" && stored.enabled)
        #expect(stored.document.hasPrefix(#"{"history":{"#))
        #expect(stored.document.contains(#""id":"5","key":"k5","max_connections":100,"secret":"s5"}"#))
        #expect(try AppConfiguration(stored: stored) == app)

        var columns = stored
        columns.enabled = false
        columns.key = "renamed"
        let read = try AppConfiguration(stored: columns)
        #expect(!read.enabled && read.key == "renamed")

        columns.document = #"{"id":"5","key":"k5","secret":"s5","max_conections":1}"#
        #expect(throws: ConfigurationError.self) { try AppConfiguration(stored: columns) }
    }

    @Test("settings are applied by their configuration-file names, JSON values or text")
    func applying() throws {
        let app = AppConfiguration(id: "5", key: "k5", secret: "s5")
        let changed = try app.applying([
            "enabled=false", "max_connections=100", "history.enabled=true", "key=123", "secret=a=b",
            #"webhooks=[{"url": "http://127.0.0.1:9/hook", "event_types": ["channel_occupied"]}]"#,
        ])
        #expect(!changed.enabled && changed.maxConnections == 100 && changed.history.enabled)
        #expect(changed.key == "123" && changed.secret == "a=b")
        #expect(changed.webhooks.count == 1)
        #expect(changed.problems(in: nil).isEmpty)

        #expect(
            try app.applying(["max_connections=-1"]).problems(in: nil) == [
                "app '5': max_connections must be 0 (unlimited) or positive, got -1"
            ]
        )
        let server = ServerConfiguration(apps: [])
        #expect(!(try app.applying(["max_event_payload_in_kb=100000"]).problems(in: server).isEmpty))
        for broken in ["max_connectionz=1", "max_connections=many", "id=6", "novalue", "=1"] {
            #expect(throws: ConfigurationError.self, "\(broken)") { try app.applying([broken]) }
        }
    }
}

extension AppStoreConfigurationTests {
    @Test("docs/configuration.md's example shows app_store with its defaults")
    func docsShowTheSection() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/configuration.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let yaml = try #require(
            text.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "```").first
        )
        #expect(yaml.contains("app_store:"))
        for key in AppStoreSettings.settings.map(\.key) { #expect(yaml.contains("  \(key):"), "\(key)") }
        #expect(try Self.decode(yaml).appStore == AppStoreSettings())
    }
}
