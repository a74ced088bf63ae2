import ChorusServer
import Testing

@Suite("App registry: the file's apps and the store's, swapped whole")
struct AppRegistryTests {
    private static func app(_ id: String, key: String? = nil, enabled: Bool = true) -> AppConfiguration {
        var app = AppConfiguration(id: id, key: key ?? "key-\(id)", secret: "s")
        app.enabled = enabled
        return app
    }

    @Test("store apps are found by key and id next to the file's, and replaced at each swap")
    func swap() {
        let registry = AppRegistry([Self.app("1")])
        #expect(registry.app(key: "key-1")?.id == "1")
        #expect(registry.app(id: "2") == nil)

        var changes = registry.replaceStoreApps([Self.app("2"), Self.app("3")])
        #expect(changes.added == ["2", "3"])
        #expect(registry.app(key: "key-2")?.id == "2")
        #expect(registry.app(id: "3")?.key == "key-3")

        var limited = Self.app("2")
        limited.maxConnections = 5
        changes = registry.replaceStoreApps([limited, Self.app("3", enabled: false), Self.app("4")])
        var expected = AppChanges()
        expected.added = ["4"]
        expected.changed = ["2"]
        expected.disabled = ["3"]
        #expect(changes == expected)
        #expect(changes.closing == ["3"])
        #expect(registry.app(id: "2")?.maxConnections == 5)
        #expect(registry.app(key: "key-3")?.enabled == false)

        changes = registry.replaceStoreApps([Self.app("3"), Self.app("4")])
        #expect(changes.removed == ["2"] && changes.enabled == ["3"])
        #expect(changes.closing == ["2"])
        #expect(registry.app(key: "key-2") == nil)
        #expect(registry.app(id: "1") != nil)
        #expect(registry.replaceStoreApps([Self.app("3"), Self.app("4")]).isEmpty)
    }

    @Test("connections of one app share one reference to its configuration until a swap replaces it")
    func sharedReference() {
        let registry = AppRegistry([Self.app("1")])
        _ = registry.replaceStoreApps([Self.app("2")])
        let first = registry.served(key: "key-2")
        #expect(first != nil && first === registry.served(key: "key-2"))
        #expect(registry.served(key: "key-1") === registry.served(key: "key-1"))
        var changed = Self.app("2")
        changed.maxConnections = 5
        _ = registry.replaceStoreApps([changed])
        #expect(registry.served(key: "key-2") !== first)
        #expect(registry.served(key: "key-2")?.configuration.maxConnections == 5)
        #expect(first?.configuration.maxConnections != 5)
    }

    @Test("a store app with a file app's id or key is left out, and reported when that changes")
    func theFileWins() {
        let registry = AppRegistry([Self.app("1")])
        let sameID = Self.app("1", key: "other")
        let sameKey = Self.app("9", key: "key-1")
        let changes = registry.replaceStoreApps([sameID, sameKey, Self.app("2")])
        #expect(changes.shadowed == ["1", "9"])
        #expect(changes.added == ["2"])
        #expect(registry.app(key: "other") == nil)
        #expect(registry.app(key: "key-1")?.id == "1")
        #expect(registry.app(id: "9") == nil)
        #expect(registry.replaceStoreApps([sameID, sameKey, Self.app("2")]).shadowed == nil)
        #expect(registry.replaceStoreApps([Self.app("2")]).shadowed == [])
    }
}
