import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@Suite("HTTP API: authentication and app checks")
struct HTTPAPISigningTests {
    static let other = AppConfiguration(id: "2", key: "other-key", secret: "other-secret")

    @Test("401 for a missing signature, a wrong one, a tampered body_md5 and an expired timestamp")
    func refusedSignatures() async throws {
        try await TestServer.with { server in
            let http = server.httpClient()
            let path = "/apps/\(server.app.id)/events"
            let body = Array(#"{"name":"e","channel":"c","data":"x"}"#.utf8)
            let cases: [(RequestSigning, String)] = [
                (.none, "missing_credentials"),
                (.badSignature, "invalid_signature"),
                (.badBodyMD5, "body_md5_mismatch"),
                (.timestamp(Int(Date().timeIntervalSince1970) - 700), "expired_timestamp"),
                (.timestamp(Int(Date().timeIntervalSince1970) + 700), "expired_timestamp"),
            ]
            for (signing, code) in cases {
                let response = try await http.request(method: .POST, path: path, body: body, signing: signing)
                #expect(response.status == .unauthorized, "\(signing)")
                #expect(response.errorCode == code, "\(signing)")
            }
            #expect(try await http.request(method: .POST, path: path, body: body).status == .ok)
            await http.shutdown()
        }
    }

    @Test("401 without body_md5 on a body; the empty-body MD5 on a GET is accepted")
    func bodyMD5() async throws {
        try await TestServer.with { server in
            let signer = RequestSigner(key: server.app.key, secret: server.app.secret)
            let http = server.httpClient()
            let body = Array(#"{"name":"e","channel":"c","data":"x"}"#.utf8)
            let path = "/apps/\(server.app.id)/events"
            // Signed over a query without body_md5 although a body is sent.
            let unsigned = signer.signedQuery(method: "POST", path: path)
            let missing = try await http.request(method: .POST, path: path, query: unsigned, body: body, signing: .none)
            #expect(missing.status == .unauthorized)
            #expect(missing.errorCode == "missing_body_md5")

            let channels = "/apps/\(server.app.id)/channels"
            let withEmptyMD5 = signer.signedQuery(method: "GET", path: channels, extra: [("body_md5", Hex.md5([]))])
            let accepted = try await http.request(method: .GET, path: channels, query: withEmptyMD5, signing: .none)
            #expect(accepted.status == .ok)
            let wrongMD5 = signer.signedQuery(
                method: "GET",
                path: channels,
                extra: [("body_md5", Hex.md5(Array("x".utf8)))]
            )
            #expect(
                try await http.request(method: .GET, path: channels, query: wrongMD5, signing: .none).status
                    == .unauthorized
            )
            await http.shutdown()
        }
    }

    @Test("401 for an unknown key and for a key of another app; 404 for an unknown app id")
    func keysAndApps() async throws {
        try await TestServer.with({ $0.apps.append(Self.other) }) { server in
            let stranger = PusherHTTPClient(host: "127.0.0.1", port: server.port, key: "nobody", secret: "nothing")
            let unknownKey = try await stranger.get("/apps/\(server.app.id)/channels")
            #expect(unknownKey.status == .unauthorized)
            #expect(unknownKey.errorCode == "unknown_key")
            await stranger.shutdown()

            let otherApp = server.httpClient(app: Self.other)
            let mismatch = try await otherApp.get("/apps/\(server.app.id)/channels")
            #expect(mismatch.status == .unauthorized)
            #expect(mismatch.errorCode == "app_mismatch")
            #expect(try await otherApp.get("/apps/2/channels").status == .ok)
            await otherApp.shutdown()

            let http = server.httpClient()
            let unknownApp = try await http.get("/apps/999/channels")
            #expect(unknownApp.status == .notFound)
            #expect(unknownApp.errorCode == "unknown_app")
            await http.shutdown()
        }
    }

    @Test("403 for a disabled app, after its credentials are checked")
    func disabledApp() async throws {
        try await TestServer.with({ $0.apps[0].enabled = false }) { server in
            let http = server.httpClient()
            let refused = try await http.post(
                "/apps/\(server.app.id)/events",
                json: ["name": "e", "channel": "c", "data": "x"]
            )
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "app_disabled")
            let unsigned = try await http.get("/apps/\(server.app.id)/channels", signing: .none)
            #expect(unsigned.status == .unauthorized)
            await http.shutdown()
        }
    }

    @Test("seed 004 header credentials: X-Relay-Key + X-Relay-Secret, or Authorization: Bearer <secret>")
    func headerCredentials() async throws {
        try await TestServer.with { server in
            let http = server.httpClient()
            let path = "/apps/\(server.app.id)/events"
            let body = Array(#"{"name":"new-order","channels":["orders"],"data":"{\"id\":42}"}"#.utf8)
            let relay = [("X-Relay-Key", server.app.key), ("X-Relay-Secret", server.app.secret)]
            let viaRelay = try await http.request(method: .POST, path: path, body: body, signing: .none, headers: relay)
            #expect(viaRelay.status == .ok)
            #expect(viaRelay.bodyText == "{}")
            let wrongRelay = [("X-Relay-Key", server.app.key), ("X-Relay-Secret", "guess")]
            let refusedRelay = try await http.request(
                method: .POST,
                path: path,
                body: body,
                signing: .none,
                headers: wrongRelay
            )
            #expect(refusedRelay.status == .unauthorized)
            #expect(refusedRelay.errorCode == "invalid_secret")

            let bearer = [("Authorization", "Bearer \(server.app.secret)")]
            #expect(
                try await http.request(method: .POST, path: path, body: body, signing: .none, headers: bearer).status
                    == .ok
            )
            let wrongBearer = [("Authorization", "Bearer guess")]
            let refusedBearer = try await http.request(
                method: .POST,
                path: path,
                body: body,
                signing: .none,
                headers: wrongBearer
            )
            #expect(refusedBearer.status == .unauthorized)
            #expect(refusedBearer.errorCode == "invalid_token")
            await http.shutdown()
        }
    }
}
