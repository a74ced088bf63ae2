import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOHTTP1
import Testing

/// Every push route's answers: shapes, status codes and the JSON errors (v2-api.md §4 and §6).
@Suite struct PushRoutesTests {
    private func withClient(
        _ configure: @escaping (inout ServerConfiguration) -> Void = { _ in },
        _ body: (PushTestClient) async throws -> Void
    ) async throws {
        try await TestServer.with(configure, pushProviders: [:]) { server in
            try await body(PushTestClient(server))
        }
    }

    @Test func registrationSaysWhatChangedAndNeverEchoesTheToken() async throws {
        try await withClient { client in
            let body: JSONValue = [
                "device_id": "ios:1", "platform": "apns", "provider_token": "secret-token", "client_id": "user-42",
                "metadata": ["app_version": "4.5.0"],
            ]
            let created = try await client.post(client.path("deviceRegistrations"), body)
            #expect(created.status == .created)
            #expect(try created.json()["change"] == "created")
            #expect(!created.bodyText.contains("secret-token"))
            #expect(try await client.post(client.path("deviceRegistrations"), body).json()["change"] == "unchanged")
            let fetched = try await client.get(client.path("deviceRegistrations", "ios:1"))
            #expect(fetched.status == .ok)
            #expect(try fetched.json()["metadata"] == ["app_version": "4.5.0"])
            #expect(try fetched.json()["client_id"] == "user-42")
            #expect(!fetched.bodyText.contains("secret-token"))
        }
    }

    @Test func devicesAreListedInPagesAndFilteredByClient() async throws {
        try await withClient { client in
            for n in 0..<5 { try await client.register("d\(n)", clientID: n % 2 == 0 ? "even" : "odd") }
            var seen: [String] = []
            var cursor: String?
            repeat {
                var query = [("limit", "2")]
                if let cursor { query.append(("cursor", cursor)) }
                let page = try await client.get(client.path("deviceRegistrations"), query).json()
                seen += (page["items"]?.arrayValue ?? []).compactMap { $0["device_id"]?.stringValue }
                cursor = page["next_cursor"]?.stringValue
                #expect(page["has_more"] == .bool(cursor != nil))
            } while cursor != nil
            #expect(seen == ["d0", "d1", "d2", "d3", "d4"])
            let odd = try await client.get(client.path("deviceRegistrations"), [("clientId", "odd")]).json()
            #expect(odd["items"]?.arrayValue?.compactMap { $0["device_id"]?.stringValue } == ["d1", "d3"])
            let deleted = try await client.delete(client.path("deviceRegistrations"), [("client_id", "even")])
            #expect(try deleted.json() == ["deleted": 3])
        }
    }

    @Test func deletingADeviceDropsItsSubscriptions() async throws {
        try await withClient { client in
            try await client.register("d")
            try await client.subscribe("a", deviceID: "d")
            try await client.subscribe("b", deviceID: "d")
            #expect(try await client.delete(client.path("deviceRegistrations", "d")).status == .noContent)
            #expect(try await client.delete(client.path("deviceRegistrations", "d")).status == .notFound)
            let listed = try await client.get(client.path("channelSubscriptions"), [("device_id", "d")]).json()
            #expect(listed["items"] == [])
        }
    }

    @Test func subscriptionsNeedARegisteredDeviceOrAClient() async throws {
        try await withClient { client in
            let unknown = try await client.post(
                client.path("channelSubscriptions"),
                ["channel": "c", "device_id": "ghost"]
            )
            #expect(unknown.status == .notFound)
            #expect(try unknown.json()["code"] == "device_not_found")
            let neither = try await client.post(client.path("channelSubscriptions"), ["channel": "c"])
            #expect(neither.status == .badRequest)
            try await client.subscribe("c", clientID: "u")
            let channels = try await client.get(client.path("channelSubscriptions", "channels")).json()
            #expect(channels["items"] == ["c"])
            let unfiltered = try await client.delete(client.path("channelSubscriptions"))
            #expect(unfiltered.status == .badRequest)
            #expect(try unfiltered.json()["code"] == "missing_filter")
            #expect(
                try await client.delete(client.path("channelSubscriptions"), [("channel", "c")]).json() == [
                    "deleted": 1
                ]
            )
        }
    }

    @Test func credentialSecretsNeverComeBack() async throws {
        try await withClient { client in
            let key =
                "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----"
            let stored = try await client.post(
                client.path("credentials", "apns"),
                ["team_id": "TEAM", "key_id": "KEY", "private_key": .string(key), "topic": "com.example.app"]
            )
            #expect(stored.status == .created)
            #expect(!stored.bodyText.contains("BEGIN PRIVATE KEY"))
            let listed = try await client.get(client.path("credentials"))
            #expect(!listed.bodyText.contains("BEGIN PRIVATE KEY"))
            let item = try listed.json()["items"]?.arrayValue?.first
            #expect(item?["provider"] == "apns")
            #expect(item?["environment"] == "production")
            #expect(item?["version"] == 1)
            let unknown = try await client.post(client.path("credentials", "pager"), [:])
            #expect(unknown.status == .badRequest)
            #expect(try unknown.json()["code"] == "unknown_provider")
        }
    }

    @Test func publishAdmissionAndStatus() async throws {
        try await withClient { client in
            try await client.register("d")
            let id = try await client.publish([
                "recipients": [["type": "device", "device_id": "d"]], "payload": ["body": "b"],
            ])
            #expect(id.hasPrefix("pub_"))
            let unknown = try await client.get(client.path("publish", "pub_none", "status"))
            #expect(unknown.status == .notFound)
            #expect(try unknown.json()["code"] == "publish_not_found")
            let status = try await client.terminalStatus(id)
            #expect(status["publish_id"] == .string(id))
        }
    }

    @Test func idempotencyKeyAnswersTheFirstPublishAndRefusesAnotherBody() async throws {
        try await withClient { client in
            try await client.register("d")
            let body: JSONValue = [
                "recipients": [["type": "device", "device_id": "d"]], "payload": ["body": "b"], "idempotency_key": "k1",
            ]
            let first = try await client.publish(body)
            #expect(try await client.publish(body) == first)
            let other = try await client.post(
                client.path("publish"),
                [
                    "recipients": [["type": "device", "device_id": "d"]], "payload": ["body": "c"],
                    "idempotency_key": "k1",
                ]
            )
            #expect(other.status == .badRequest)
            #expect(try other.json()["code"] == "idempotency_conflict")
        }
    }

    @Test func pushOffIsForbiddenOnEveryRoute() async throws {
        try await withClient({ $0.apps[0].push.enabled = false }) { client in
            for path in [
                client.path("deviceRegistrations"), client.path("credentials"), client.path("publish", "p", "status"),
            ] {
                let response = try await client.get(path)
                #expect(response.status == .forbidden)
                #expect(try response.json()["code"] == "feature_disabled")
            }
        }
    }

    @Test func aWrongMethodNamesTheAllowedOnes() async throws {
        try await withClient { client in
            let response = try await client.http.request(method: .PUT, path: client.path("deviceRegistrations"))
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers["Allow"] == ["POST, GET, DELETE"])
            #expect(try await client.get(client.path("batch", "publish")).status == .notFound)
        }
    }

    @Test func badBodiesAre400WithACode() async throws {
        try await withClient { client in
            let notJSON = try await client.http.request(
                method: .POST,
                path: client.path("publish"),
                body: Array("{".utf8)
            )
            #expect(notJSON.status == .badRequest)
            #expect(try notJSON.json()["code"] == "invalid_request")
            let tooMany = try await client.post(
                client.path("publish"),
                [
                    "recipients": .array(Array(repeating: ["type": "device", "device_id": "d"], count: 1001)),
                    "payload": ["body": "b"],
                ]
            )
            #expect(tooMany.status == .badRequest)
            #expect(try tooMany.json()["code"] == "invalid_recipients")
        }
    }
}
