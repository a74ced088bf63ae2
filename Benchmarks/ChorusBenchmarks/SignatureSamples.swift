import ChorusProtocol

/// Signed inputs as a server receives them, computed once and verified by the signature benchmarks.
enum SignatureSamples {
    /// A private and a presence subscription of one socket.
    struct ChannelAuth {
        let authenticator = ChannelAuthenticator(key: "chorus-key", secret: "chorus-secret")
        let socketID = "123456.7890123"
        let privateChannel = "private-orders-42"
        let presenceChannel = "presence-room-42"
        let channelData = #"{"user_id":"user-42","user_info":{"name":"Ada"}}"#
        let privateAuth: String
        let presenceAuth: String

        init() {
            privateAuth = authenticator.channelAuth(socketID: socketID, channel: privateChannel)
            presenceAuth = authenticator.channelAuth(
                socketID: socketID,
                channel: presenceChannel,
                channelData: channelData
            )
        }
    }

    /// A signed `POST /apps/1/events`.
    struct Request {
        let signer = RequestSigner(key: "chorus-key", secret: "chorus-secret")
        let path = "/apps/1/events"
        let body = Array(
            #"{"name":"price-update","channels":["market-0"],"data":"{\"symbol\":\"EURUSD\",\"bid\":1.08412}"}"#.utf8
        )
        /// The query as received, `auth_signature` included.
        let query: [(String, String)]
        let signature: String

        init() {
            query = signer.signedQuery(method: "POST", path: path, body: body, timestamp: 1_767_225_600)
            signature = query.first { $0.0 == "auth_signature" }?.1 ?? ""
        }
    }

    static let channelAuth = ChannelAuth()
    static let request = Request()
}
