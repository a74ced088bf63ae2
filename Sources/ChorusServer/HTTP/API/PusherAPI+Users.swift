import ChorusProtocol
import Logging
import NIOCore
import NIOHTTP1

extension PusherAPI {
    /// `POST /apps/{id}/users/{user_id}/terminate_connections` (and the SDK's bare
    /// `/users/{user_id}/terminate_connections`): closes every connection signed in as the user. `{}`.
    func terminateConnections(userID: String, _ call: Call) throws(APIError) -> HTTPResponse {
        guard !userID.isEmpty, userID.utf8.count <= PresenceMember.maximumUserIDLength else {
            throw .badRequest(
                "user_id must be 1 to \(PresenceMember.maximumUserIDLength) characters",
                code: "invalid_user_id"
            )
        }
        guard server.terminateConnections(userID: userID, appID: call.app.id) else { throw .clusterUnavailable }
        return .json(.ok, "{}")
    }

    /// `POST /apps/{id}/auth` `{socket_id, channel_name, channel_data?}` → `{"auth", "channel_data"?}`,
    /// or `{socket_id, user_data}` → `{"auth", "user_data"}`: the signatures a backend without an SDK
    /// hands to its clients.
    func authorize(_ call: Call) throws(APIError) -> HTTPResponse {
        let fields = try call.json()
        guard let socketID = fields["socket_id"]?.stringValue, EventRequest.isSocketID(socketID) else {
            throw .badRequest("socket_id must look like 123.456", code: "invalid_socket_id")
        }
        let authenticator = ChannelAuthenticator(key: call.app.key, secret: call.app.secret)
        if let userData = fields["user_data"].flatMap(Self.text) {
            guard let user = try? JSONValue(parsing: userData), user["id"]?.scalarText?.isEmpty == false else {
                throw .badRequest("user_data must be a JSON object with an 'id'", code: "invalid_user_data")
            }
            let answer: JSONValue = [
                "auth": .string(authenticator.userAuth(socketID: socketID, userData: userData)),
                "user_data": .string(userData),
            ]
            return .json(.ok, answer.jsonText)
        }
        guard let name = fields["channel_name"]?.stringValue else {
            throw .badRequest("Give channel_name (or user_data to sign a user in)", code: "missing_channel_name")
        }
        let channel = try Self.channelName(name)
        switch channel.kind {
        case .public:
            throw .badRequest("Public channels need no auth", code: "channel_needs_no_auth")
        case .privateEncrypted:
            throw .badRequest(
                "Encrypted channels need the app's encryption master key, which Chorus does not hold; sign them in your backend",
                code: "encryption_key_not_configured"
            )
        case .private:
            let answer: JSONValue = ["auth": .string(authenticator.channelAuth(socketID: socketID, channel: name))]
            return .json(.ok, answer.jsonText)
        case .presence:
            guard let channelData = fields["channel_data"].flatMap(Self.text) else {
                throw .badRequest("Presence channels need channel_data", code: "missing_channel_data")
            }
            do {
                _ = try PresenceMember(channelData: channelData)
            } catch {
                throw .badRequest("Invalid channel_data: \(error)", code: "invalid_channel_data")
            }
            let answer: JSONValue = [
                "auth": .string(authenticator.channelAuth(socketID: socketID, channel: name, channelData: channelData)),
                "channel_data": .string(channelData),
            ]
            return .json(.ok, answer.jsonText)
        }
    }

    /// A string as it is; an object serialised.
    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .object: value.jsonText
        default: nil
        }
    }
}
