import ChorusProtocol
import ChorusServer
import NIOHTTP1
import Testing

@Suite("HTTP API: request authenticator")
struct HTTPAPIAuthenticatorTests {
    static let app = AppConfiguration(id: "1", key: "key", secret: "secret")
    static let authenticator = RequestAuthenticator(apps: AppRegistry([app]))
    static let now = 1_700_000_000

    static func credentials(timestamp: Int, body: [UInt8] = []) -> RequestAuthenticator.Credentials {
        let signer = RequestSigner(key: app.key, secret: app.secret)
        let query = signer.signedQuery(method: "POST", path: "/apps/1/events", body: body, timestamp: timestamp)
        return .init(method: "POST", path: "/apps/1/events", query: query, headers: HTTPHeaders(), body: body)
    }

    @Test("auth_timestamp exactly 600 s away passes, 601 s fails, either side")
    func clockSkewEdge() throws {
        for offset in [-600, 600, 0] {
            let app = try Self.authenticator.authenticate(
                Self.credentials(timestamp: Self.now + offset),
                pathAppID: "1",
                now: Self.now
            )
            #expect(app.id == "1")
        }
        for offset in [-601, 601] {
            #expect(throws: APIError.self) {
                try Self.authenticator.authenticate(
                    Self.credentials(timestamp: Self.now + offset),
                    pathAppID: "1",
                    now: Self.now
                )
            }
        }
    }

    @Test("the signature covers the body through body_md5")
    func bodyIsSigned() throws {
        var credentials = Self.credentials(timestamp: Self.now, body: Array("{}".utf8))
        _ = try Self.authenticator.authenticate(credentials, pathAppID: "1", now: Self.now)
        credentials.body = Array("{ }".utf8)
        do {
            _ = try Self.authenticator.authenticate(credentials, pathAppID: "1", now: Self.now)
            Issue.record("a changed body was accepted")
        } catch {
            #expect(error.code == "body_md5_mismatch")
        }
    }

    @Test(
        "a signing parameter given twice is refused, even when one copy makes a valid request",
        arguments: ["auth_signature", "auth_timestamp", "auth_key", "AUTH_VERSION", "body_md5"]
    )
    func duplicatedSigningParameter(name: String) throws {
        var credentials = Self.credentials(timestamp: Self.now, body: Array("{}".utf8))
        let copy = try #require(credentials.query.first { $0.0 == name.lowercased() })
        credentials.query.insert((name, name == "auth_signature" ? "0" : copy.1), at: 0)
        do {
            _ = try Self.authenticator.authenticate(credentials, pathAppID: "1", now: Self.now)
            Issue.record("a request with two \(name) was accepted")
        } catch {
            #expect(error.status == .unauthorized)
            #expect(error.code == "duplicate_auth_parameter")
        }
    }

    @Test("secrets compare equal only when identical")
    func constantTimeEquals() {
        #expect(RequestAuthenticator.constantTimeEquals("secret", "secret"))
        #expect(!RequestAuthenticator.constantTimeEquals("secret", "secreT"))
        #expect(!RequestAuthenticator.constantTimeEquals("secret", "secret2"))
        #expect(!RequestAuthenticator.constantTimeEquals("", "x"))
    }
}
