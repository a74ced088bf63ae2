import ChorusProtocol
import Testing

@Suite struct SignatureVectorTests {
    let vectors: SignatureVectors

    init() throws {
        vectors = try SignatureVectors.load()
    }

    /// Splits a channel-auth string to sign back into what a backend would be given.
    private func subscription(_ stringToSign: String) -> (socketID: String, channel: String, channelData: String?)? {
        let parts = stringToSign.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, !parts[1].isEmpty else { return nil }
        return (parts[0], parts[1], parts.count == 3 ? parts[2] : nil)
    }

    @Test func everyChannelAuthVectorSignsAndVerifies() throws {
        let vector = vectors.channel_auth
        let authenticator = ChannelAuthenticator(key: vector.key, secret: vector.secret)
        var checked = 0
        for testCase in vector.cases {
            let expectedAuth = "\(vector.key):\(testCase.signature)"
            let userPrefix = "\(vector.socket_id)::user::"
            if testCase.string_to_sign.hasPrefix(userPrefix) {
                let userData = String(testCase.string_to_sign.dropFirst(userPrefix.count))
                #expect(
                    ChannelAuthenticator.stringToSign(socketID: vector.socket_id, userData: userData)
                        == testCase.string_to_sign
                )
                #expect(authenticator.userAuth(socketID: vector.socket_id, userData: userData) == expectedAuth)
                #expect(authenticator.isValidUserAuth(expectedAuth, socketID: vector.socket_id, userData: userData))
            } else {
                let parts = try #require(subscription(testCase.string_to_sign))
                #expect(parts.socketID == vector.socket_id)
                #expect(
                    ChannelAuthenticator.stringToSign(
                        socketID: parts.socketID,
                        channel: parts.channel,
                        channelData: parts.channelData
                    )
                        == testCase.string_to_sign
                )
                let auth = authenticator.channelAuth(
                    socketID: parts.socketID,
                    channel: parts.channel,
                    channelData: parts.channelData
                )
                #expect(auth == expectedAuth, "\(testCase.string_to_sign)")
                #expect(
                    authenticator.isValidChannelAuth(
                        expectedAuth,
                        socketID: parts.socketID,
                        channel: parts.channel,
                        channelData: parts.channelData
                    )
                )
            }
            checked += 1
        }
        #expect(checked == 6)
    }

    @Test func channelAuthRejectsTamperedValues() throws {
        let vector = vectors.channel_auth
        let authenticator = ChannelAuthenticator(key: vector.key, secret: vector.secret)
        let good = "\(vector.key):\(vector.cases[0].signature)"
        #expect(
            authenticator.isValidChannelAuth(good, socketID: "1234.1234", channel: "private-foobar", channelData: nil)
        )
        #expect(
            !authenticator.isValidChannelAuth(good, socketID: "1234.1235", channel: "private-foobar", channelData: nil)
        )
        #expect(
            !authenticator.isValidChannelAuth(good, socketID: "1234.1234", channel: "private-foobaz", channelData: nil)
        )
        #expect(
            !authenticator.isValidChannelAuth(
                "other-key:\(vector.cases[0].signature)",
                socketID: "1234.1234",
                channel: "private-foobar",
                channelData: nil
            )
        )
        #expect(
            !authenticator.isValidChannelAuth(
                vector.cases[0].signature,
                socketID: "1234.1234",
                channel: "private-foobar",
                channelData: nil
            )
        )
        #expect(
            !authenticator.isValidChannelAuth(
                "\(vector.key):zz",
                socketID: "1234.1234",
                channel: "private-foobar",
                channelData: nil
            )
        )
        // Presence data is signed exactly as received: the numeric and string user_id differ.
        let numeric = try #require(subscription(vector.cases[2].string_to_sign))
        let stringID = try #require(subscription(vector.cases[3].string_to_sign))
        #expect(
            !authenticator.isValidChannelAuth(
                "\(vector.key):\(vector.cases[2].signature)",
                socketID: stringID.socketID,
                channel: stringID.channel,
                channelData: stringID.channelData
            )
        )
        #expect(numeric.channelData != stringID.channelData)
    }

    @Test func restSigningVector() {
        let vector = vectors.rest_signing
        let body = Array(vector.body.utf8)
        #expect(Hex.md5(body) == vector.body_md5)
        let signer = RequestSigner(key: vector.key, secret: vector.secret)
        let query = signer.signedQuery(method: "POST", path: "/apps/3/events", body: body, timestamp: 1_353_088_179)
        let withoutSignature = query.filter { $0.0 != "auth_signature" }
        #expect(
            RequestSigner.stringToSign(method: "POST", path: "/apps/3/events", query: withoutSignature)
                == vector.string_to_sign
        )
        #expect(query.first { $0.0 == "auth_signature" }?.1 == vector.auth_signature)
        #expect(query.first { $0.0 == "body_md5" }?.1 == vector.body_md5)
        #expect(signer.isValid(vector.auth_signature, method: "POST", path: "/apps/3/events", query: query))
        #expect(!signer.isValid(vector.auth_signature, method: "POST", path: "/apps/4/events", query: query))
    }

    @Test func restStringToSignLowercasesSortsAndSkipsSignature() {
        let canonical = RequestSigner.stringToSign(
            method: "get",
            path: "/apps/3/channels",
            query: [
                ("Info", "user_count"), ("auth_signature", "x"), ("filter_by_prefix", "presence-"), ("auth_key", "k"),
            ]
        )
        #expect(canonical == "GET\n/apps/3/channels\nauth_key=k&filter_by_prefix=presence-&info=user_count")
    }

    @Test func signedTargetEscapesValuesButSignsThemRaw() {
        let signer = RequestSigner(key: "k", secret: "s")
        let target = signer.signedTarget(
            method: "GET",
            path: "/apps/1/channels",
            extra: [("filter_by_prefix", "a b")],
            timestamp: 10
        )
        #expect(
            target.hasPrefix(
                "/apps/1/channels?filter_by_prefix=a%20b&auth_key=k&auth_timestamp=10&auth_version=1.0&auth_signature="
            )
        )
        let expected = signer.signature(
            method: "GET",
            path: "/apps/1/channels",
            query: [("filter_by_prefix", "a b"), ("auth_key", "k"), ("auth_timestamp", "10"), ("auth_version", "1.0")]
        )
        #expect(target.hasSuffix("auth_signature=\(expected)"))
        #expect(!target.contains("body_md5"))
    }

    @Test func webhookVector() {
        let vector = vectors.webhook
        #expect(
            WebhookSigner(secret: vector.secret).signature(for: Array(vector.body.utf8)) == vector.x_pusher_signature
        )
        #expect(WebhookSigner(secret: "other").signature(for: Array(vector.body.utf8)) != vector.x_pusher_signature)
    }
}
