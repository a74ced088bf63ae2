import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOHTTP1
import Testing

/// Routing, signing and status codes through the router in memory: no socket, no HTTP parsing.
@Suite("HTTP router in memory")
struct HTTPRouterTests {
    @Test("health and unknown routes; /metrics is not served on the public port")
    func unsignedRoutes() async throws {
        try await TestRouter.with { router in
            #expect(router.execute(.GET, "/up").status == .ok)
            #expect(router.execute(.GET, "/metrics").status == .notFound)
            let missing = router.execute(.GET, "/nowhere")
            #expect(missing.status == .notFound)
            let code = try missing.json()["code"]?.stringValue
            #expect(code == "not_found")
        }
    }

    @Test("a signed publish is accepted; the same request unsigned is refused")
    func signedPublish() async throws {
        try await TestRouter.with { router in
            let body = Array(#"{"name":"e","channel":"c","data":"{}"}"#.utf8)
            let path = "/apps/\(router.app.id)/events"
            #expect(router.executeSigned(.POST, path, body: body).status == .ok)
            #expect(router.execute(.POST, path, body: body).status == .unauthorized)
        }
    }

    @Test("a request signed for another app's key is refused")
    func wrongApp() async throws {
        try await TestRouter.with { router in
            var other = router.app
            other.secret = "not-the-secret"
            let response = router.executeSigned(.GET, "/apps/\(router.app.id)/channels", app: other)
            #expect(response.status == .unauthorized)
        }
    }
}
