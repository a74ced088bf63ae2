/// A member of a presence channel as the app's auth endpoint described it in `channel_data`.
public struct PresenceMember: Sendable, Hashable {
    /// The longest `user_id` accepted.
    public static let maximumUserIDLength = 128

    public var userID: String
    public var userInfo: JSONValue?

    public init(userID: String, userInfo: JSONValue? = nil) {
        self.userID = userID
        self.userInfo = userInfo
    }

    /// Parses `channel_data`: `{"user_id": string or number, "user_info"?: any}`.
    public init(channelData: String) throws(PresenceMemberError) {
        guard let value = try? JSONValue(parsing: channelData), value.objectValue != nil else {
            throw .invalidChannelData
        }
        guard let userID = value["user_id"]?.scalarText, !userID.isEmpty else { throw .missingUserID }
        guard userID.utf8.count <= Self.maximumUserIDLength else { throw .userIDTooLong }
        self.userID = userID
        self.userInfo = value["user_info"]
    }
}

/// Why `channel_data` does not describe a presence member.
public enum PresenceMemberError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidChannelData
    case missingUserID
    case userIDTooLong

    public var description: String {
        switch self {
        case .invalidChannelData: "channel_data is not a JSON object"
        case .missingUserID: "channel_data has no user_id"
        case .userIDTooLong: "user_id is longer than \(PresenceMember.maximumUserIDLength) characters"
        }
    }
}
