import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOHTTP1
import Testing

@Suite("History: annotations")
struct HistoryAnnotationsTests {
    @Test("create, list, delete (twice), 404s and the summaries of every summarizer")
    func lifecycle() async throws {
        try await TestServer.withHistory { _, client in
            let (serial, _) = try await client.publish("hist-a")
            let (other, _) = try await client.publish("hist-a")
            let annotations = client.path("hist-a", "messages", serial, "annotations")
            let bodies: [JSONValue] = [
                ["type": "r:total.v1"],
                ["type": "r:flag.v1", "client_id": "u1"],
                ["type": "r:distinct.v1", "name": "👍", "clientId": "u2"],
                ["type": "r:unique.v1", "name": "yes", "client_id": "u1"],
                ["type": "r:unique.v1", "name": "no", "client_id": "u1"],
                ["type": "r:multiple.v1", "name": "up", "client_id": "u1", "count": 3],
                ["type": "r:multiple.v1", "name": "up", "count": 2, "data": ["x": 1]],
            ]
            var serials: [String] = []
            for body in bodies {
                let response = try await client.post(annotations, body)
                serials.append(
                    try #require(try response.json()["annotationSerial"]?.stringValue, "\(response.bodyText)")
                )
            }
            #expect(serials == serials.sorted())
            let list = try await client.get(annotations).json()
            #expect(list["channel"] == "hist-a")
            #expect(list["messageSerial"] == .string(serial))
            #expect(list["hasMore"] == false)
            #expect(list["items"]?.arrayValue?.count == bodies.count)
            #expect(list["items"]?.arrayValue?[6]["data"] == ["x": 1])
            let summary = try #require(list["summary"])
            #expect(summary["r:total.v1"] == ["total": 1])
            #expect(summary["r:flag.v1"] == ["total": 1, "clientIds": ["u1"], "clipped": false])
            #expect(summary["r:distinct.v1"] == ["👍": ["total": 1, "clientIds": ["u2"], "clipped": false]])
            #expect(summary["r:unique.v1"] == ["no": ["total": 1, "clientIds": ["u1"], "clipped": false]])
            #expect(
                summary["r:multiple.v1"]
                    == [
                        "up": [
                            "total": 5, "clientCounts": ["u1": 3], "totalUnidentified": 2, "clipped": false,
                            "totalClientIds": 1,
                        ]
                    ]
            )

            let delete = try await client.delete(client.path("hist-a", "messages", serial, "annotations", serials[0]))
            let deleted = try delete.json()
            #expect(deleted["deletedAnnotationSerial"] == .string(serials[0]))
            let repeated = try await client.delete(client.path("hist-a", "messages", serial, "annotations", serials[0]))
            #expect(try repeated.json() == deleted)
            let filtered = try await client.get(annotations, [("type", "r:total.v1")]).json()
            #expect(filtered["summary"] == ["r:total.v1": ["total": 0]])
            #expect(filtered["items"]?.arrayValue?.map { $0["action"] } == ["annotation.create", "annotation.delete"])

            let elsewhere = client.path("hist-a", "messages", other, "annotations", serials[1])
            #expect(try await client.delete(elsewhere).isError(.notFound, "annotation_not_found"))
            let unknown = client.path("hist-a", "messages", serial, "annotations", "nope")
            #expect(try await client.delete(unknown).isError(.notFound, "annotation_not_found"))
            let noMessage = client.path("hist-a", "messages", "nope", "annotations")
            #expect(try await client.post(noMessage, ["type": "r:total.v1"]).isError(.notFound, "message_not_found"))
            #expect(try await client.get(noMessage).isError(.notFound, "message_not_found"))
        }
    }

    @Test("type and field errors are 400 and store nothing")
    func errors() async throws {
        try await TestServer.withHistory { _, client in
            let (serial, _) = try await client.publish("hist-a")
            let annotations = client.path("hist-a", "messages", serial, "annotations")
            let long = String(repeating: "n", count: 250) + ":total.v1"
            for body: JSONValue in [
                [:], ["type": "reactions"], ["type": "r:bogus.v1"], ["type": "r:total.v2"], ["type": .string(long)],
                ["type": 5], ["type": "r:flag.v1"], ["type": "r:distinct.v1", "client_id": "u"],
                ["type": "r:multiple.v1", "name": "x", "count": 0], ["type": "r:total.v1", "client_id": 5],
            ] {
                let response = try await client.post(annotations, body)
                #expect(response.status == .badRequest, "\(body.jsonText)")
            }
            #expect(try await client.postRaw(annotations, "nope").isError(.badRequest, "invalid_json"))
            #expect(
                try await client.get(annotations, [("type", "bad")]).isError(.badRequest, "invalid_annotation_type")
            )
            #expect(try await client.get(annotations, [("limit", "0")]).isError(.badRequest, "invalid_limit"))
            #expect(try await client.get(annotations).json()["items"] == [])
        }
    }

    @Test("paging by from_serial and the client_id filter; the summary is never client-filtered")
    func paging() async throws {
        try await TestServer.withHistory { _, client in
            let (serial, _) = try await client.publish("hist-a")
            let annotations = client.path("hist-a", "messages", serial, "annotations")
            for index in 0..<5 {
                _ = try await client.post(
                    annotations,
                    ["type": "r:distinct.v1", "name": "n", "client_id": .string("u\(index % 2)")]
                )
            }
            var seen: [JSONValue] = []
            var from: String?
            repeat {
                var query = [("limit", "2")]
                if let from { query.append(("from_serial", from)) }
                let page = try await client.get(annotations, query).json()
                seen += page["items"]?.arrayValue ?? []
                from = page["nextCursor"]?.stringValue
                #expect((page["hasMore"] == true) == (from != nil))
            } while from != nil
            #expect(seen.count == 5)
            #expect(
                seen.map { $0["serial"]?.stringValue ?? "" } == seen.map { $0["serial"]?.stringValue ?? "" }.sorted()
            )
            let mine = try await client.get(annotations, [("client_id", "u1")]).json()
            #expect(mine["items"]?.arrayValue?.count == 2)
            #expect(mine["summary"]?["r:distinct.v1"]?["n"]?["total"] == 2)
        }
    }

    @Test("live: subscribers get sockudo:message.summary with the changed type's summary")
    func liveSummary() async throws {
        try await TestServer.withHistory { server, client in
            let socket = try await HTTPAPIEventsTests.subscriber(server, channel: "hist-a")
            let (serial, _) = try await client.publish("hist-a")
            try await socket.expect("chat.msg", channel: "hist-a")
            let created = try await client.post(
                client.path("hist-a", "messages", serial, "annotations"),
                ["type": "r:flag.v1", "client_id": "u1"]
            )
            let annotation = try #require(try created.json()["annotationSerial"]?.stringValue)
            let event = try await socket.expect("sockudo:message.summary", channel: "hist-a")
            let data = try JSONValue(parsing: try #require(event.data?.stringValue))
            #expect(
                data
                    == [
                        "action": "message.summary", "serial": .string(serial),
                        "annotations": ["summary": ["r:flag.v1": ["total": 1, "clientIds": ["u1"], "clipped": false]]],
                    ]
            )
            _ = try await client.delete(client.path("hist-a", "messages", serial, "annotations", annotation))
            let after = try await socket.expect("sockudo:message.summary", channel: "hist-a")
            let summary = try JSONValue(parsing: try #require(after.data?.stringValue))["annotations"]?["summary"]
            #expect(summary == ["r:flag.v1": ["total": 0, "clientIds": [], "clipped": false]])
            await socket.close()
        }
    }
}
