import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOHTTP1
import Testing

/// The push API of a ``TestServer`` as a backend calls it, every path segment percent-encoded as
/// the official SDK encodes it.
struct PushTestClient {
    let http: PusherHTTPClient
    let appID: String

    init(_ server: TestServer) {
        http = server.httpClient()
        appID = server.app.id
    }

    /// `/apps/{id}/push/{segments…}`.
    func path(_ segments: String...) -> String {
        (["apps", appID, "push"] + segments).map { "/" + QueryString.percentEncode($0) }.joined()
    }

    func get(_ path: String, _ query: [(String, String)] = []) async throws -> PusherHTTPResponse {
        try await http.get(path, query: query)
    }

    func post(_ path: String, _ body: JSONValue) async throws -> PusherHTTPResponse {
        try await http.post(path, json: body)
    }

    func delete(_ path: String, _ query: [(String, String)] = []) async throws -> PusherHTTPResponse {
        try await http.request(method: .DELETE, path: path, query: query)
    }

    /// Registers a device; fails the test unless it is answered 201.
    func register(
        _ deviceID: String,
        platform: String = "fcm",
        token: JSONValue? = nil,
        clientID: String? = nil
    )
        async throws
    {
        var body: JSONValue = [
            "device_id": .string(deviceID), "platform": .string(platform),
            "provider_token": token ?? .string("token-\(deviceID)"),
        ]
        if let clientID, case .object(var object) = body {
            object["client_id"] = .string(clientID)
            body = .object(object)
        }
        let response = try await post(path("deviceRegistrations"), body)
        try #require(response.status == .created, "\(response.bodyText)")
    }

    func subscribe(_ channel: String, deviceID: String? = nil, clientID: String? = nil) async throws {
        var body: [String: JSONValue] = ["channel": .string(channel)]
        if let deviceID { body["device_id"] = .string(deviceID) }
        if let clientID { body["client_id"] = .string(clientID) }
        let response = try await post(path("channelSubscriptions"), .object(body))
        try #require(response.status == .created, "\(response.bodyText)")
    }

    /// Stores `credential` for `provider`; fails the test unless it is answered 201.
    func putCredential(_ provider: String, _ credential: JSONValue) async throws {
        let response = try await post(path("credentials", provider), credential)
        try #require(response.status == .created, "\(response.bodyText)")
    }

    /// Stores an FCM credential whose key nobody checks (for scripted providers).
    func putPlaceholderFCMCredential() async throws {
        try await putCredential(
            "fcm",
            ["service_account_json": ["client_email": "chorus@test", "private_key": "unused", "project_id": "p"]]
        )
    }

    /// Publishes; returns the 202 answer's publish id.
    func publish(_ body: JSONValue) async throws -> String {
        let response = try await post(path("publish"), body)
        try #require(response.status == .accepted, "\(response.bodyText)")
        return try #require(try response.json()["publish_id"]?.stringValue)
    }

    /// The publish's status once it is terminal.
    func terminalStatus(_ publishID: String) async throws -> JSONValue {
        var status: JSONValue = .null
        try await eventually("publish \(publishID) ends", timeout: .seconds(20)) {
            let response = try await get(path("publish", publishID, "status"))
            guard response.status == .ok else { return false }
            status = try response.json()
            let state = status["state"]?.stringValue ?? ""
            return !["accepted", "planning", "dispatching"].contains(state)
        }
        return status
    }
}
