public import ChorusProtocol

extension ChannelSubscription {
    /// The subscription a `POST …/push/channelSubscriptions` body asks for:
    /// `{"channel","device_id"?,"client_id"?}` with at least one of the two.
    public init(request body: JSONValue, appID: String) throws(PushRequestError) {
        let fields = try PushFields(body: body)
        let channel = try fields.requiredString("channel")
        let deviceID = try fields.string("device_id")
        let clientID = try fields.string("client_id")
        guard deviceID != nil || clientID != nil else {
            throw PushRequestError(.missingField, "A channel subscription needs device_id or client_id")
        }
        guard channel.utf8.count <= 200 else {
            throw PushRequestError(.invalidField, "channel must be at most 200 characters")
        }
        self.init(appID: appID, channel: channel, deviceID: deviceID, clientID: clientID)
    }

    /// The subscription as the API shows it.
    public var json: JSONValue {
        [
            "channel": .string(channel),
            "device_id": deviceID.map(JSONValue.string) ?? .null,
            "client_id": clientID.map(JSONValue.string) ?? .null,
        ]
    }
}

extension SubscriptionFilter {
    /// The filter of a `GET`/`DELETE …/push/channelSubscriptions` query.
    public init(query: [(String, String)], appID: String) throws(PushRequestError) {
        let fields = PushFields(query: query)
        self.init(
            appID: appID,
            channel: try fields.string("channel"),
            deviceID: try fields.string("device_id"),
            clientID: try fields.string("client_id")
        )
    }
}
