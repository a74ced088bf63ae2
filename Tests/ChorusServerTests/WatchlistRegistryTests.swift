import ChorusServer
import Testing

@Suite("Watchlist registry")
struct WatchlistRegistryTests {
    @Test("a watcher learns who is online at sign-in and who comes and goes afterwards")
    func onlineOffline() {
        let registry = WatchlistRegistry()
        #expect(registry.signIn("u2", previous: nil, watchlist: nil, appID: "1").notices.isEmpty)
        let watcher = registry.signIn("u1", previous: nil, watchlist: ["u2", "u3"], appID: "1")
        #expect(watcher.onlineWatched == ["u2"])
        #expect(
            registry.signIn("u3", previous: nil, watchlist: nil, appID: "1").notices
                == [.init(watcher: "u1", userID: "u3", online: true)]
        )
        #expect(registry.signOut("u2", appID: "1").notices == [.init(watcher: "u1", userID: "u2", online: false)])
    }

    @Test("only a user's first connection brings it online and only its last takes it offline")
    func severalConnections() {
        let registry = WatchlistRegistry()
        _ = registry.signIn("u1", previous: nil, watchlist: ["u2"], appID: "1")
        #expect(registry.signIn("u2", previous: nil, watchlist: nil, appID: "1").notices.count == 1)
        #expect(registry.signIn("u2", previous: nil, watchlist: nil, appID: "1").notices.isEmpty)
        #expect(registry.signOut("u2", appID: "1") == .init(notices: [], lastHere: false))
        #expect(registry.signOut("u2", appID: "1").notices.count == 1)
    }

    @Test("signing in again as the same user changes nothing; as another user moves the session")
    func signInAgain() {
        let registry = WatchlistRegistry()
        _ = registry.signIn("w", previous: nil, watchlist: ["a", "b"], appID: "1")
        _ = registry.signIn("a", previous: nil, watchlist: nil, appID: "1")
        #expect(registry.signIn("a", previous: "a", watchlist: nil, appID: "1").notices.isEmpty)
        #expect(
            registry.signIn("b", previous: "a", watchlist: nil, appID: "1").notices == [
                .init(watcher: "w", userID: "a", online: false), .init(watcher: "w", userID: "b", online: true),
            ]
        )
    }

    @Test("a watchlist ends with its owner's last connection, and apps are separate")
    func ownerLeaves() {
        let registry = WatchlistRegistry()
        _ = registry.signIn("w", previous: nil, watchlist: ["a"], appID: "1")
        _ = registry.signOut("w", appID: "1")
        #expect(registry.signIn("a", previous: nil, watchlist: nil, appID: "1").notices.isEmpty)
        _ = registry.signIn("w", previous: nil, watchlist: ["a"], appID: "2")
        #expect(registry.signOut("a", appID: "1").notices.isEmpty)
    }

    @Test("in a cluster a user is online while it is signed in on any node")
    func otherNodes() {
        let registry = WatchlistRegistry()
        _ = registry.signIn("w", previous: nil, watchlist: ["a"], appID: "1")
        #expect(
            registry.remoteUser("a", online: true, node: "n2", appID: "1") == [
                .init(watcher: "w", userID: "a", online: true)
            ]
        )
        let here = registry.signIn("a", previous: nil, watchlist: nil, appID: "1")
        #expect(here.notices.isEmpty && here.firstHere)
        #expect(registry.signOut("a", appID: "1") == .init(notices: [], lastHere: true))
        #expect(
            registry.replaceRemote(node: "n2", with: [:]) == [
                "1": [.init(watcher: "w", userID: "a", online: false)]
            ]
        )
        #expect(registry.localUsers() == ["1": ["w"]])
    }
}
