/// One app's history retention (`history.max_messages`, `history.max_age_seconds`), per channel.
public struct RetentionPolicy: Sendable, Hashable {
    public var appID: String
    /// Each channel keeps at most its newest `maxMessages` messages.
    public var maxMessages: Int
    /// Messages published longer ago than this go.
    public var maxAgeSeconds: Int64

    public init(appID: String, maxMessages: Int, maxAgeSeconds: Int64) {
        self.appID = appID
        self.maxMessages = maxMessages
        self.maxAgeSeconds = maxAgeSeconds
    }
}
