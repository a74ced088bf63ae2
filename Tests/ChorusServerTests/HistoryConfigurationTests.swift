import ChorusServer
import ChorusStorage
import Testing

@Suite("History: configuration")
struct HistoryConfigurationTests {
    @Test("the embedded default keeps history for every channel of its app, in SQLite under chorus-data")
    func embeddedDefault() {
        let configuration = ServerConfiguration.embeddedDefault
        #expect(configuration.storage.driver == .sqlite)
        #expect(configuration.storage.path == "chorus-data/chorus.sqlite")
        #expect(configuration.storage.resolved(in: "/srv").path == "/srv/chorus-data/chorus.sqlite")
        let history = configuration.apps[0].history
        #expect(history.enabled)
        #expect(history.channels == ["*"])
        #expect(history.retains("anything-at-all"))
        #expect(history.maxMessages == 10_000)
        #expect(history.maxAgeSeconds == 86_400)
        #expect(history.maxPageSize == 100)
    }

    @Test("history and storage read from a file; a configured app keeps no history unless enabled")
    func fromFile() throws {
        let configuration = try ConfigurationLoader.decode(
            """
            storage: {driver: postgres, url: "postgres://chorus:pw@127.0.0.1:5432/chorus"}
            apps:
              - {id: 1, key: k, secret: s, history: {enabled: true, channels: ["hist-*"], max_page_size: 1000}, push: {enabled: true}}
              - {id: 2, key: k2, secret: s2}
            """,
            source: "test"
        )
        #expect(configuration.problems().isEmpty)
        #expect(configuration.storage.driver == .postgres)
        #expect(configuration.storage.summary == "postgres postgres://chorus:***@127.0.0.1:5432/chorus")
        let history = configuration.apps[0].history
        #expect(history.retains("hist-a"))
        #expect(!history.retains("nohist-a"))
        #expect(history.maxPageSize == 1000)
        #expect(history.maxMessages == 10_000)
        #expect(!configuration.apps[1].history.enabled)
        #expect(!configuration.apps[1].history.retains("hist-a"))
    }

    @Test("sqlite_synchronous: full by default, normal on request, nothing else")
    func sqliteSynchronous() throws {
        #expect(ServerConfiguration.embeddedDefault.storage.configuration.sqliteDurability == .powerLoss)
        let normal = try ConfigurationLoader.decode("storage: {sqlite_synchronous: normal}", source: "test")
        #expect(normal.storage.configuration.sqliteDurability == .processCrash)
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.decode("storage: {sqlite_synchronous: off}", source: "test")
        }
    }

    @Test("globs: * matches any run of characters, anywhere")
    func globs() {
        var history = HistorySettings.everyChannel
        history.channels = ["a*b*c", "exact", "*-end"]
        for name in ["abc", "a-b-c", "aXXbYYc", "exact", "x-end", "-end"] { #expect(history.retains(name), "\(name)") }
        for name in ["ab", "abcd", "exactly", "x-ending", "bac"] { #expect(!history.retains(name), "\(name)") }
    }

    @Test("out-of-range values are named problems")
    func problems() throws {
        let configuration = try ConfigurationLoader.decode(
            """
            storage: {driver: postgres}
            apps:
              - {id: 1, key: k, secret: s, history: {max_page_size: 1001, max_messages: 0, channels: [""]}}
            """,
            source: "test"
        )
        let problems = configuration.problems().joined(separator: "\n")
        #expect(problems.contains("history.max_page_size"))
        #expect(problems.contains("history.max_messages"))
        #expect(problems.contains("history.channels"))
        #expect(problems.contains("storage.url"))
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.decode("storage: {driver: oracle}", source: "test")
        }
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.decode("apps: [{id: 1, key: k, secret: s, history: {retain: 1}}]", source: "test")
        }
    }
}
