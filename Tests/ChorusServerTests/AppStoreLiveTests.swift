import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusStorage
import ChorusTesting
import Foundation
import NIOCore
import Testing

@Suite("Apps in the app store, picked up by running servers")
struct AppStoreLiveTests {
    /// A fresh SQLite app store file.
    private static func storePath() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("chorus-app-store-\(UUID().uuidString)")
            .appendingPathComponent("apps.sqlite").path
    }

    /// A server reading the app store at `path` every 50 ms, besides its file's default app.
    private static func withServer<T: Sendable>(
        storePath path: String,
        _ body: (TestServer) async throws -> T
    ) async throws -> T {
        try await TestServer.with(
            { configuration in
                configuration.appStore = .sqlite(path)
                configuration.appStore.refreshSeconds = 0.05
            },
            body
        )
    }

    private static let storeApp = AppConfiguration(id: "4242", key: "store-key", secret: "store-secret")

    /// Connects to app `key` as soon as the server serves it.
    private static func connectOnceServed(_ server: TestServer, key: String) async throws -> PusherSocket {
        var socket: PusherSocket?
        try await eventually("app \(key) is served") {
            socket = try? await server.connect(key: key)
            return socket != nil
        }
        return try #require(socket)
    }

    @Test("an app added to the store is served by every running server: connect and signed publish")
    func addedAppIsServed() async throws {
        let path = Self.storePath()
        let store = try SQLiteAppStore(path: path)
        try await Self.withServer(storePath: path) { first in
            try await Self.withServer(storePath: path) { second in
                await #expect(throws: PusherSocketError.self) { try await first.connect(key: Self.storeApp.key) }
                try await store.upsert(try Self.storeApp.stored())
                for server in [first, second] {
                    let socket = try await Self.connectOnceServed(server, key: Self.storeApp.key)
                    try await socket.subscribe(channel: "news")
                    try await socket.expect("pusher_internal:subscription_succeeded", channel: "news")
                    let client = server.httpClient(app: Self.storeApp)
                    let response = try await client.trigger(
                        appID: Self.storeApp.id,
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
        await store.close()
    }

    @Test("a disabled app closes its open connections with 4003, refuses new ones and its API calls")
    func disabledAppIsRefused() async throws {
        let path = Self.storePath()
        let store = try SQLiteAppStore(path: path)
        try await store.upsert(try Self.storeApp.stored())
        try await Self.withServer(storePath: path) { server in
            let socket = try await server.connect(key: Self.storeApp.key)
            let other = try await server.connect()
            var disabled = Self.storeApp
            disabled.enabled = false
            try await store.upsert(try disabled.stored())
            let error = try await socket.expect("pusher:error", timeout: .seconds(10))
            #expect(error.data?["code"] == .integer(4003))
            #expect(try await socket.expectClose() == 4003)

            let session = try await server.openSession(path: WebSocketConnector.pusherPath(key: Self.storeApp.key))
            _ = try await session.next(timeout: .seconds(5))
            #expect(try await session.next(timeout: .seconds(5)) == .close(code: 4003, reason: "Application disabled"))
            let client = server.httpClient(app: Self.storeApp)
            let response = try await client.trigger(appID: Self.storeApp.id, name: "e", channels: ["c"], data: "{}")
            #expect(response.status == .forbidden)
            await client.shutdown()

            // The other app's connection stays open.
            try await other.subscribe(channel: "still-here")
            try await other.expect("pusher_internal:subscription_succeeded", channel: "still-here")
            await other.close()
        }
        await store.close()
    }

    @Test("a removed app closes its connections with 4003 and its API answers 404")
    func removedAppIsGone() async throws {
        let path = Self.storePath()
        let store = try SQLiteAppStore(path: path)
        try await store.upsert(try Self.storeApp.stored())
        try await Self.withServer(storePath: path) { server in
            let socket = try await server.connect(key: Self.storeApp.key)
            #expect(try await store.remove(id: Self.storeApp.id))
            _ = try await socket.expect("pusher:error", timeout: .seconds(10))
            #expect(try await socket.expectClose() == 4003)
            let client = server.httpClient(app: Self.storeApp)
            let response = try await client.trigger(appID: Self.storeApp.id, name: "e", channels: ["c"], data: "{}")
            #expect(response.status == .notFound)
            await client.shutdown()
        }
        await store.close()
    }

    @Test("a store app with the id or key of a file app is left out: the file wins")
    func theFileWins() async throws {
        let path = Self.storePath()
        let store = try SQLiteAppStore(path: path)
        let file = ServerConfiguration.defaultApp
        try await store.upsert(try AppConfiguration(id: "77", key: file.key, secret: "other").stored())
        try await Self.withServer(storePath: path) { server in
            let socket = try await server.connect(key: file.key)
            try await socket.subscribe(channel: "c")
            try await socket.expect("pusher_internal:subscription_succeeded", channel: "c")
            let client = server.httpClient(app: AppConfiguration(id: "77", key: file.key, secret: "other"))
            let response = try await client.trigger(appID: "77", name: "e", channels: ["c"], data: "{}")
            #expect(response.status == .notFound)
            await client.shutdown()
            await socket.close()
        }
        await store.close()
    }
}
