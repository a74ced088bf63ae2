import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusStorage
import ChorusTesting
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Testing

@Suite("Apps in the app store, picked up by running servers")
struct AppStoreLiveTests {
    /// Where the servers of a test and the test itself find the store: a fresh SQLite file, or the
    /// PostgreSQL test database (`CHORUS_TEST_POSTGRES_URL`), which tests share: each test's app
    /// has an id and a key of its own.
    struct Backend: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var settings: @Sendable () -> AppStoreSettings

        static let sqlite = Backend(testDescription: "sqlite") {
            .sqlite(
                FileManager.default.temporaryDirectory
                    .appendingPathComponent("chorus-app-store-\(UUID().uuidString)")
                    .appendingPathComponent("apps.sqlite").path
            )
        }

        static let postgresURL = ProcessInfo.processInfo.environment["CHORUS_TEST_POSTGRES_URL"]
        static let postgres = Backend(testDescription: "postgres") { .postgres(postgresURL ?? "") }

        static let all = [sqlite] + (postgresURL == nil ? [] : [postgres])
    }

    /// A server reading the app store of `settings` every 50 ms, besides its file's default app.
    private static func withServer<T: Sendable>(
        _ settings: AppStoreSettings,
        _ body: (TestServer) async throws -> T
    ) async throws -> T {
        try await TestServer.with(
            { configuration in
                configuration.appStore = settings
                configuration.appStore.refreshSeconds = 0.05
            },
            body
        )
    }

    /// The store of `settings`, opened by the test.
    private static func open(_ settings: AppStoreSettings) async throws -> any AppStore {
        try #require(try await settings.open(logger: Logger(label: "chorus-test")))
    }

    /// The status the server answers a signed publish of `app` with.
    private static func publishStatus(_ server: TestServer, app: AppConfiguration) async throws -> HTTPResponseStatus {
        let client = server.httpClient(app: app)
        let response = try await client.trigger(appID: app.id, name: "e", channels: ["c"], data: "{}")
        await client.shutdown()
        return response.status
    }

    /// An app of the store's with an id and a key no other test uses.
    private static func storeApp() -> AppConfiguration {
        let id = String(UInt32.random(in: 1_000_000...UInt32.max))
        return AppConfiguration(id: id, key: "store-key-\(id)", secret: "store-secret")
    }

    /// Connects to app `key` as soon as the server serves it.
    private static func connectOnceServed(_ server: TestServer, key: String) async throws -> PusherSocket {
        var socket: PusherSocket?
        try await eventually("app \(key) is served") {
            socket = try? await server.connect(key: key)
            return socket != nil
        }
        return try #require(socket)
    }

    @Test(
        "an app added to the store is served by every running server: connect and signed publish",
        arguments: Backend.all
    )
    func addedAppIsServed(backend: Backend) async throws {
        let settings = backend.settings()
        let store = try await Self.open(settings)
        let storeApp = Self.storeApp()
        try await Self.withServer(settings) { first in
            try await Self.withServer(settings) { second in
                await #expect(throws: PusherSocketError.self) { try await first.connect(key: storeApp.key) }
                try await store.upsert(try storeApp.stored())
                for server in [first, second] {
                    let socket = try await Self.connectOnceServed(server, key: storeApp.key)
                    try await socket.subscribe(channel: "news")
                    try await socket.expect("pusher_internal:subscription_succeeded", channel: "news")
                    let client = server.httpClient(app: storeApp)
                    let response = try await client.trigger(
                        appID: storeApp.id,
                        name: "headline",
                        channels: ["news"],
                        data: "hello"
                    )
                    #expect(response.status == .ok)
                    let event = try await socket.expect("headline", channel: "news")
                    #expect(event.data == .string("hello"))
                    await client.shutdown()
                    await socket.close()
                }
                // The configuration file's app is still there.
                let socket = try await second.connect()
                await socket.close()
            }
        }
        _ = try await store.remove(id: storeApp.id)
        await store.close()
    }

    @Test(
        "a disabled app closes its open connections with 4003, refuses new ones and its API calls",
        arguments: Backend.all
    )
    func disabledAppIsRefused(backend: Backend) async throws {
        let settings = backend.settings()
        let store = try await Self.open(settings)
        let storeApp = Self.storeApp()
        try await store.upsert(try storeApp.stored())
        try await Self.withServer(settings) { server in
            let socket = try await server.connect(key: storeApp.key)
            let other = try await server.connect()
            var disabled = storeApp
            disabled.enabled = false
            try await store.upsert(try disabled.stored())
            let error = try await socket.expect("pusher:error", timeout: .seconds(10))
            #expect(error.data?["code"] == .integer(4003))
            #expect(try await socket.expectClose() == 4003)

            let session = try await server.openSession(path: WebSocketConnector.pusherPath(key: storeApp.key))
            _ = try await session.next(timeout: .seconds(5))
            #expect(try await session.next(timeout: .seconds(5)) == .close(code: 4003, reason: "Application disabled"))
            #expect(try await Self.publishStatus(server, app: storeApp) == .forbidden)

            // The other app's connection stays open.
            try await other.subscribe(channel: "still-here")
            try await other.expect("pusher_internal:subscription_succeeded", channel: "still-here")
            await other.close()
        }
        _ = try await store.remove(id: storeApp.id)
        await store.close()
    }

    @Test("a removed app closes its connections with 4003 and its API answers 404", arguments: Backend.all)
    func removedAppIsGone(backend: Backend) async throws {
        let settings = backend.settings()
        let store = try await Self.open(settings)
        let storeApp = Self.storeApp()
        try await store.upsert(try storeApp.stored())
        try await Self.withServer(settings) { server in
            let socket = try await server.connect(key: storeApp.key)
            #expect(try await store.remove(id: storeApp.id))
            _ = try await socket.expect("pusher:error", timeout: .seconds(10))
            #expect(try await socket.expectClose() == 4003)
            #expect(try await Self.publishStatus(server, app: storeApp) == .notFound)
        }
        _ = try await store.remove(id: storeApp.id)
        await store.close()
    }

    @Test("a store app with the id or key of a file app is left out: the file wins", arguments: Backend.all)
    func theFileWins(backend: Backend) async throws {
        let settings = backend.settings()
        let store = try await Self.open(settings)
        let storeApp = Self.storeApp()
        let file = ServerConfiguration.defaultApp
        let shadowed = AppConfiguration(id: storeApp.id, key: file.key, secret: "other")
        try await store.upsert(try shadowed.stored())
        try await Self.withServer(settings) { server in
            let socket = try await server.connect(key: file.key)
            try await socket.subscribe(channel: "c")
            try await socket.expect("pusher_internal:subscription_succeeded", channel: "c")
            let client = server.httpClient(app: shadowed)
            let response = try await client.trigger(appID: shadowed.id, name: "e", channels: ["c"], data: "{}")
            #expect(response.status == .notFound)
            await client.shutdown()
            await socket.close()
        }
        _ = try await store.remove(id: storeApp.id)
        await store.close()
    }
}

extension AppStoreLiveTests {
    @Test("a stored app that fails the checks is left out; the version served before stays")
    func invalidVersionKeepsThePreviousOne() async throws {
        let settings = Backend.sqlite.settings()
        let store = try await Self.open(settings)
        let storeApp = Self.storeApp()
        var unusable = try storeApp.stored()
        unusable.document = #"{"id":"\#(storeApp.id)","key":"\#(storeApp.key)","secret":"s","max_connections":-1}"#
        try await store.upsert(unusable)
        try await Self.withServer(settings) { server in
            await #expect(throws: PusherSocketError.self) { try await server.connect(key: storeApp.key) }
            try await store.upsert(try storeApp.stored())
            let socket = try await Self.connectOnceServed(server, key: storeApp.key)
            try await store.upsert(unusable)
            // Served still after refreshes that read the unusable version: a new app, added after
            // it, being served shows the refreshes happened.
            let later = Self.storeApp()
            try await store.upsert(try later.stored())
            let witness = try await Self.connectOnceServed(server, key: later.key)
            try await socket.subscribe(channel: "kept")
            try await socket.expect("pusher_internal:subscription_succeeded", channel: "kept")
            let again = try await server.connect(key: storeApp.key)
            await again.close()
            await witness.close()
            await socket.close()
        }
        await store.close()
    }
}

extension AppStoreLiveTests {
    @Test("a store app's webhooks are delivered, and follow its changes")
    func webhooksOfStoreApps() async throws {
        let first = try await WebhookReceiver.start()
        let second = try await WebhookReceiver.start()
        let settings = Backend.sqlite.settings()
        let store = try await Self.open(settings)
        var storeApp = Self.storeApp()
        storeApp.webhooks = [WebhookTarget(url: first.url)]
        try await Self.withServer(settings) { server in
            try await store.upsert(try storeApp.stored())
            let socket = try await Self.connectOnceServed(server, key: storeApp.key)
            try await socket.subscribe(channel: "hooked")
            try await socket.expect("pusher_internal:subscription_succeeded", channel: "hooked")
            #expect(try await first.waitForRequests(1)[0].eventNames == ["channel_occupied"])

            storeApp.webhooks = [WebhookTarget(url: second.url)]
            try await store.upsert(try storeApp.stored())
            // Written after the change: once it is served, so is the change.
            let witness = Self.storeApp()
            try await store.upsert(try witness.stored())
            try await Self.connectOnceServed(server, key: witness.key).close()
            try await socket.subscribe(channel: "hooked-again")
            try await socket.expect("pusher_internal:subscription_succeeded", channel: "hooked-again")
            #expect(try await second.waitForRequests(1)[0].eventNames == ["channel_occupied"])
            #expect(first.requests.count == 1)
            await socket.close()
        }
        await first.stop()
        await second.stop()
        await store.close()
    }
}

extension AppStoreLiveTests {
    @Test("the retention sweep follows the history settings of store apps")
    func retentionOfStoreApps() async throws {
        let settings = Backend.sqlite.settings()
        let store = try await Self.open(settings)
        var storeApp = Self.storeApp()
        storeApp.history = .everyChannel
        storeApp.history.maxMessages = 5
        try await store.upsert(try storeApp.stored())
        try await Self.withServer(settings) { server in
            let client = server.httpClient(app: storeApp)
            for n in 1...3 {
                let response = try await client.trigger(appID: storeApp.id, name: "e", channels: ["kept"], data: "\(n)")
                #expect(response.status == .ok)
            }
            let path = "/apps/\(storeApp.id)/channels/kept/history"
            #expect(try await client.get(path).json()["items"]?.arrayValue?.count == 3)
            storeApp.history.maxMessages = 1
            try await store.upsert(try storeApp.stored())
            // A changed policy restarts the sweep, which trims at once.
            try await eventually("the sweep trimmed the channel to one message") {
                try await client.get(path).json()["items"]?.arrayValue?.count == 1
            }
            await client.shutdown()
        }
        _ = try await store.remove(id: storeApp.id)
        await store.close()
    }
}
