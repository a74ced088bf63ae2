import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOHTTP1
import Testing

@Suite("History: publishing and paging")
struct HistoryRoutesTests {
    @Test("a publish with info=message_serial answers each history channel's serials; without it {}")
    func publishAnswers() async throws {
        try await TestServer.withHistory(channels: ["hist-*"]) { server, client in
            let (serial, historySerial) = try await client.publish("hist-a")
            #expect(historySerial == 1)
            #expect(serial.utf8.count <= 128)
            #expect(try await client.publish("hist-a").1 == 2)
            let both = try await client.post(
                "/apps/1/events",
                [
                    "name": "e", "channels": ["hist-a", "nohist-b"], "data": "d",
                    "info": "message_serial,subscription_count",
                ]
            )
            let channels = try both.json()["channels"]
            #expect(channels?["hist-a"]?["history_serial"] == 3)
            #expect(channels?["hist-a"]?["subscription_count"] == 0)
            #expect(channels?["nohist-b"] == ["subscription_count": 0])
            let plain = try await client.post("/apps/1/events", ["name": "e", "channel": "hist-a", "data": "d"])
            #expect(plain.status == .ok)
            #expect(plain.bodyText == "{}")
        }
    }

    @Test("batch items with info=message_serial get their channel's serials, in batch order")
    func batchAnswers() async throws {
        try await TestServer.withHistory { _, client in
            let response = try await client.post(
                "/apps/1/batch_events",
                [
                    "batch": [
                        ["name": "e", "channel": "hist-a", "data": "1", "info": "message_serial"],
                        ["name": "e", "channel": "hist-a", "data": "2"],
                        ["name": "e", "channel": "hist-a", "data": "3", "info": "message_serial"],
                    ]
                ]
            )
            let batch = try #require(try response.json()["batch"]?.arrayValue)
            #expect(batch[0]["history_serial"] == 1)
            #expect(batch[1] == [:])
            #expect(batch[2]["history_serial"] == 3)
            let page = try await client.history("hist-a", [("direction", "oldest_first")]).json()
            #expect(page["items"]?.arrayValue?.map { $0["message"]?["data"] } == ["1", "2", "3"])
        }
    }

    @Test("sockudo: and sockudo_internal: event names are 400")
    func reservedNames() async throws {
        try await TestServer.withHistory { _, client in
            for name in ["sockudo:message.update", "sockudo_internal:message"] {
                let response = try await client.post(
                    "/apps/1/events",
                    ["name": .string(name), "channel": "a", "data": "d"]
                )
                #expect(response.isError(.badRequest, "reserved_event_name"))
            }
        }
    }

    @Test("history items: latest state, both directions, inclusive bounds, has_more iff next_cursor")
    func historyPage() async throws {
        try await TestServer.withHistory { _, client in
            for index in 1...5 { try await client.publish("hist-a", name: "n\(index)", data: "d\(index)") }
            let newest = try await client.history("hist-a", [("limit", "2")]).json()
            #expect(newest["direction"] == "newest_first")
            #expect(newest["limit"] == 2)
            #expect(newest["has_more"] == true)
            #expect(newest["items"]?.arrayValue?.map { $0["serial"] } == [5, 4])
            let item = try #require(newest["items"]?.arrayValue?.first)
            #expect(item["event_name"] == "n5")
            #expect(item["message"]?["event"] == "sockudo:message.create")
            #expect(item["message"]?["data"] == "d5")
            #expect(item["message_id"] == item["message"]?["message_serial"])
            let bounded = try await client.history(
                "hist-a",
                [("direction", "forwards"), ("start_serial", "2"), ("end_serial", "4")]
            ).json()
            #expect(bounded["items"]?.arrayValue?.map { $0["serial"] } == [2, 3, 4])
            #expect(bounded["has_more"] == false)
            #expect(bounded["next_cursor"] == .null)
            let empty = try await client.history("hist-empty").json()
            #expect(empty["items"] == [])
            #expect(empty["has_more"] == false)
        }
    }

    @Test("limit at its edges: 0 and max+1 are 400, 1 and max are served; bad direction and start > end are 400")
    func limits() async throws {
        try await TestServer.withHistory({ $0.apps[0].history.maxPageSize = 3 }) { _, client in
            for _ in 1...4 { try await client.publish("hist-a") }
            #expect(try await client.history("hist-a").json()["items"]?.arrayValue?.count == 3)
            #expect(try await client.history("hist-a", [("limit", "1")]).json()["items"]?.arrayValue?.count == 1)
            #expect(try await client.history("hist-a", [("limit", "3")]).json()["items"]?.arrayValue?.count == 3)
            for limit in ["0", "4", "-1", "x"] {
                #expect(try await client.history("hist-a", [("limit", limit)]).isError(.badRequest, "invalid_limit"))
            }
            #expect(
                try await client.history("hist-a", [("direction", "sideways")]).isError(
                    .badRequest,
                    "invalid_direction"
                )
            )
            let inverted = try await client.history("hist-a", [("start_serial", "3"), ("end_serial", "2")])
            #expect(inverted.isError(.badRequest, "invalid_bounds"))
            let times = try await client.history("hist-a", [("start_time_ms", "9"), ("end_time_ms", "8")])
            #expect(times.isError(.badRequest, "invalid_bounds"))
        }
    }

    @Test("tampered, foreign and garbage cursors are 400 invalid_cursor")
    func cursors() async throws {
        try await TestServer.withHistory { server, client in
            for _ in 1...3 {
                try await client.publish("hist-a")
                try await client.publish("hist-b")
            }
            let page = try await client.history("hist-a", [("limit", "1")]).json()
            let cursor = try #require(page["next_cursor"]?.stringValue)
            #expect(try await client.history("hist-a", [("limit", "1"), ("cursor", cursor)]).status == .ok)
            var tampered = Array(cursor)
            tampered[3] = tampered[3] == "A" ? "B" : "A"
            let attempts: [(String, [(String, String)])] = [
                ("hist-a", [("cursor", String(tampered))]),
                ("hist-a", [("cursor", "garbage")]),
                ("hist-a", [("cursor", cursor + "x")]),
                ("hist-b", [("cursor", cursor)]),
                ("hist-a", [("cursor", cursor), ("direction", "oldest_first")]),
                ("hist-a", [("cursor", cursor), ("start_serial", "1")]),
            ]
            for (channel, query) in attempts {
                #expect(try await client.history(channel, query).isError(.badRequest, "invalid_cursor"), "\(query)")
            }
            _ = server
        }
    }

    @Test("a channel without history, or an app without it, is 403 feature_disabled for every route")
    func featureDisabled() async throws {
        try await TestServer.withHistory(channels: ["hist-*"]) { _, client in
            let (serial, _) = try await client.publish("hist-a")
            let answers = [
                try await client.history("nohist-a"),
                try await client.get(client.path("nohist-a", "messages", serial)),
                try await client.get(client.path("nohist-a", "messages", serial, "versions")),
                try await client.post(client.path("nohist-a", "messages", serial, "update"), ["data": "x"]),
                try await client.post(client.path("nohist-a", "messages", serial, "delete"), [:]),
                try await client.post(client.path("nohist-a", "messages", serial, "append"), ["data": "x"]),
                try await client.post(
                    client.path("nohist-a", "messages", serial, "annotations"),
                    ["type": "r:total.v1"]
                ),
                try await client.get(client.path("nohist-a", "messages", serial, "annotations")),
                try await client.delete(client.path("nohist-a", "messages", serial, "annotations", "a")),
            ]
            for answer in answers { #expect(answer.isError(.forbidden, "feature_disabled"), "\(answer.bodyText)") }
        }
        try await TestServer.withHistory({ $0.apps[0].history.enabled = false }) { _, client in
            #expect(try await client.history("hist-a").isError(.forbidden, "feature_disabled"))
            let plain = try await client.post(
                "/apps/1/events",
                ["name": "e", "channel": "hist-a", "data": "d", "info": "message_serial"]
            )
            #expect(plain.bodyText == #"{"channels":{"hist-a":{}}}"#)
        }
    }

    @Test("the signature covers the raw percent-encoded path; routing uses the decoded one")
    func rawPathSignature() async throws {
        try await TestServer.withHistory { server, client in
            let (serial, _) = try await client.publish("hist-a")
            let encoded = client.path("hist-a", "messages", serial)
            #expect(encoded.contains("%3A"))
            #expect(try await client.get(encoded).status == .ok)
            // Signed over the decoded path but sent encoded: not what was signed.
            let decoded = "/apps/1/channels/hist-a/messages/\(serial)"
            let signer = RequestSigner(key: server.app.key, secret: server.app.secret)
            let query = signer.signedQuery(method: "GET", path: decoded)
            let unsigned = try await client.http.request(method: .GET, path: encoded, query: query, signing: .none)
            #expect(unsigned.isError(.unauthorized, "invalid_signature"))
            // An existing route with an encoded channel works the same way.
            let channel = try await client.get("/apps/1/channels/%68ist-a")
            #expect(channel.status == .ok)
        }
    }
}
