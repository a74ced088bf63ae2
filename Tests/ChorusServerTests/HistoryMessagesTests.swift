import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOHTTP1
import Testing

@Suite("History: versioned messages")
struct HistoryMessagesTests {
    @Test("GET message is the latest state; an unknown serial is 404")
    func getMessage() async throws {
        try await TestServer.withHistory { _, client in
            let (serial, historySerial) = try await client.publish("hist-a", data: "first")
            let response = try await client.get(client.path("hist-a", "messages", serial))
            let body = try response.json()
            #expect(body["channel"] == "hist-a")
            #expect(body["item"]?["message_serial"] == .string(serial))
            #expect(body["item"]?["history_serial"] == .integer(historySerial))
            #expect(body["item"]?["action"] == "create")
            #expect(body["item"]?["data"] == "first")
            let unknown = try await client.get(client.path("hist-a", "messages", "0:none:0"))
            #expect(unknown.isError(.notFound, "message_not_found"))
            #expect(try await client.get(client.path("hist-b", "messages", serial)).status == .notFound)
        }
    }

    @Test("update, delete and append: answers, latest state, versions and history")
    func mutations() async throws {
        try await TestServer.withHistory { _, client in
            let (serial, historySerial) = try await client.publish("hist-a", name: "chat.msg", data: "hi")
            let update = try await client.post(
                client.path("hist-a", "messages", serial, "update"),
                ["data": ["text": "edited"], "description": "user edit", "client_id": "u1", "unknown": true]
            )
            let answer = try update.json()
            #expect(answer["status"] == "applied")
            #expect(answer["accepted"] == true)
            #expect(answer["action"] == "update")
            #expect(answer["message_serial"] == .string(serial))
            #expect(answer["history_serial"] == .integer(historySerial))
            #expect(answer["version_serial"]?.stringValue.map { $0 > serial } == true)

            let append = try await client.post(client.path("hist-a", "messages", serial, "append"), ["data": "!"])
            #expect(append.status == .ok)
            let latest = try await client.get(client.path("hist-a", "messages", serial)).json()["item"]
            #expect(latest?["data"] == #"{"text":"edited"}!"#)
            #expect(latest?["action"] == "append")
            #expect(latest?["name"] == "chat.msg")

            let delete = try await client.postRaw(client.path("hist-a", "messages", serial, "delete"), "{}")
            #expect(delete.status == .ok)
            let history = try await client.history("hist-a").json()
            #expect(history["items"]?.arrayValue?[0]["message"]?["action"] == "delete")
            #expect(history["items"]?.arrayValue?[0]["message"]?["data"] == #"{"text":"edited"}!"#)
            #expect(history["items"]?.arrayValue?.count == 1)

            let versions = try await client.get(client.path("hist-a", "messages", serial, "versions")).json()
            #expect(versions["direction"] == "newest_first")
            let items = try #require(versions["items"]?.arrayValue)
            #expect(items.map { $0["action"] } == ["delete", "append", "update", "create"])
            #expect(items[1]["data"] == "!")
            #expect(items[2]["version"]?["description"] == "user edit")
            #expect(items[2]["version"]?["client_id"] == "u1")
            #expect(items[3]["data"] == "hi")
        }
    }

    @Test("versions page with limit and cursor in both directions; limit edges and foreign cursors are 400")
    func versionPaging() async throws {
        try await TestServer.withHistory({ $0.apps[0].history.maxPageSize = 2 }) { _, client in
            let (serial, _) = try await client.publish("hist-a")
            let (other, _) = try await client.publish("hist-a")
            for index in 1...4 {
                _ = try await client.post(
                    client.path("hist-a", "messages", serial, "update"),
                    ["data": .string("v\(index)")]
                )
            }
            var numbers: [JSONValue?] = []
            var cursor: String?
            repeat {
                var query = [("direction", "oldest_first")]
                if let cursor { query.append(("cursor", cursor)) }
                let page = try await client.get(client.path("hist-a", "messages", serial, "versions"), query).json()
                numbers += page["items"]?.arrayValue?.map { $0["data"] } ?? []
                cursor = page["next_cursor"]?.stringValue
            } while cursor != nil
            #expect(numbers == ["hello", "v1", "v2", "v3", "v4"])
            let first = try await client.get(client.path("hist-a", "messages", serial, "versions")).json()
            let next = try #require(first["next_cursor"]?.stringValue)
            let foreign = try await client.get(client.path("hist-a", "messages", other, "versions"), [("cursor", next)])
            #expect(foreign.isError(.badRequest, "invalid_cursor"))
            let history = try await client.history("hist-a", [("cursor", next)])
            #expect(history.isError(.badRequest, "invalid_cursor"))
            let tooMany = try await client.get(client.path("hist-a", "messages", serial, "versions"), [("limit", "3")])
            #expect(tooMany.isError(.badRequest, "invalid_limit"))
            let unknown = try await client.get(client.path("hist-a", "messages", "nope", "versions"))
            #expect(unknown.isError(.notFound, "message_not_found"))
        }
    }

    @Test("idempotency: the same key and body is a duplicate with the same version; another body is a conflict")
    func idempotency() async throws {
        try await TestServer.withHistory { _, client in
            let (serial, _) = try await client.publish("hist-a")
            let path = client.path("hist-a", "messages", serial, "update")
            let first = try await client.post(path, ["data": "x", "idempotency_key": "k1"]).json()
            let replay = try await client.post(path, ["data": "x", "op_id": "k1"]).json()
            #expect(first["status"] == "applied")
            #expect(replay["status"] == "duplicate")
            #expect(replay["version_serial"] == first["version_serial"])
            let conflict = try await client.post(path, ["data": "y", "idempotency_key": "k1"])
            #expect(conflict.isError(.badRequest, "idempotency_conflict"))
            // The key is scoped to the action: a delete with it is new.
            let delete = try await client.post(client.path("hist-a", "messages", serial, "delete"), ["op_id": "k1"])
            #expect(try delete.json()["status"] == "applied")
            let versions = try await client.get(client.path("hist-a", "messages", serial, "versions")).json()
            #expect(versions["items"]?.arrayValue?.count == 3)
        }
    }

    @Test("bad bodies are 400 and change nothing; unknown messages are 404")
    func badBodies() async throws {
        try await TestServer.withHistory { _, client in
            let (serial, _) = try await client.publish("hist-a", data: "keep")
            let update = client.path("hist-a", "messages", serial, "update")
            let append = client.path("hist-a", "messages", serial, "append")
            #expect(try await client.postRaw(update, "{not json").isError(.badRequest, "invalid_json"))
            #expect(try await client.postRaw(update, "[1]").isError(.badRequest, "invalid_request"))
            #expect(try await client.post(update, ["socket_id": "1.2"]).isError(.badRequest, "missing_field"))
            #expect(try await client.post(update, ["name": 5]).isError(.badRequest, "invalid_request"))
            #expect(try await client.post(append, ["data": ""]).isError(.badRequest, "missing_field"))
            #expect(try await client.post(append, ["data": 5]).isError(.badRequest, "missing_field"))
            let long = String(repeating: "k", count: 129)
            #expect(
                try await client.post(update, ["data": "x", "op_id": .string(long)])
                    .isError(.badRequest, "invalid_idempotency_key")
            )
            let missing = try await client.post(client.path("hist-a", "messages", "nope", "update"), ["data": "x"])
            #expect(missing.isError(.notFound, "message_not_found"))
            let versions = try await client.get(client.path("hist-a", "messages", serial, "versions")).json()
            #expect(versions["items"]?.arrayValue?.count == 1)
            #expect(try await client.get(client.path("hist-a", "messages", serial)).json()["item"]?["data"] == "keep")
        }
    }

    @Test("live events: every subscriber gets sockudo:message.<action> with the MO, except socket_id's connection")
    func liveEvents() async throws {
        try await TestServer.withHistory { server, client in
            let sender = try await HTTPAPIEventsTests.subscriber(server, channel: "hist-a")
            let other = try await HTTPAPIEventsTests.subscriber(server, channel: "hist-a")
            let (serial, _) = try await client.publish("hist-a", data: "hi")
            try await sender.expect("chat.msg", channel: "hist-a")
            try await other.expect("chat.msg", channel: "hist-a")

            _ = try await client.post(
                client.path("hist-a", "messages", serial, "update"),
                ["data": "edited", "socket_id": .string(sender.socketID)]
            )
            let update = try await other.expect("sockudo:message.update", channel: "hist-a")
            let object = try JSONValue(parsing: try #require(update.data?.stringValue))
            #expect(object["action"] == "update")
            #expect(object["data"] == "edited")
            #expect(object["message_serial"] == .string(serial))

            _ = try await client.post(client.path("hist-a", "messages", serial, "append"), ["data": "!"])
            let append = try await other.expect("sockudo:message.append", channel: "hist-a")
            #expect(try JSONValue(parsing: try #require(append.data?.stringValue))["data"] == "!")
            // The sender skipped the update: its next event is the append.
            try await sender.expect("sockudo:message.append", channel: "hist-a")

            let replay = try await client.post(
                client.path("hist-a", "messages", serial, "delete"),
                ["idempotency_key": "d"]
            )
            #expect(replay.status == .ok)
            _ = try await client.post(client.path("hist-a", "messages", serial, "delete"), ["idempotency_key": "d"])
            try await other.expect("sockudo:message.delete", channel: "hist-a")
            // The duplicate sent nothing: the next event is this one.
            try await client.publish("hist-a", name: "after")
            try await other.expect("after", channel: "hist-a")
            await sender.close()
            await other.close()
        }
    }
}
