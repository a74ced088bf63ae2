import Crypto
import Foundation

/// Signs and verifies the `auth` values of private, presence and encrypted subscriptions and of
/// user sign-in (`pusher:signin`), for one app's key and secret.
///
/// The string signed is `socket_id:channel` for private channels, `socket_id:channel:channel_data`
/// for presence channels (channel_data exactly as received), and `socket_id::user::user_data` for
/// sign-in. The auth value is `key:hexsignature`.
public struct ChannelAuthenticator: Sendable {
    public let key: String
    private let signer: HMACSigner

    public init(key: String, secret: String) {
        self.key = key
        self.signer = HMACSigner(secret: secret)
    }

    /// The string signed for a channel subscription.
    public static func stringToSign(socketID: String, channel: String, channelData: String?) -> String {
        if let channelData { "\(socketID):\(channel):\(channelData)" } else { "\(socketID):\(channel)" }
    }

    /// The string signed for user sign-in.
    public static func stringToSign(socketID: String, userData: String) -> String {
        "\(socketID)::user::\(userData)"
    }

    /// The `auth` value a backend returns for a subscription.
    public func channelAuth(socketID: String, channel: String, channelData: String? = nil) -> String {
        "\(key):\(signer.signature(for: Self.stringToSign(socketID: socketID, channel: channel, channelData: channelData)))"
    }

    /// The `auth` value a backend returns for `pusher:signin`.
    public func userAuth(socketID: String, userData: String) -> String {
        "\(key):\(signer.signature(for: Self.stringToSign(socketID: socketID, userData: userData)))"
    }

    /// Whether `auth` is this app's valid signature of a subscription, checked in constant time.
    public func isValidChannelAuth(_ auth: String, socketID: String, channel: String, channelData: String?) -> Bool {
        isValid(auth, message: Self.stringToSign(socketID: socketID, channel: channel, channelData: channelData))
    }

    /// Whether `auth` is this app's valid signature of a sign-in, checked in constant time.
    public func isValidUserAuth(_ auth: String, socketID: String, userData: String) -> Bool {
        isValid(auth, message: Self.stringToSign(socketID: socketID, userData: userData))
    }

    private func isValid(_ auth: String, message: String) -> Bool {
        guard let colon = auth.lastIndex(of: ":") else { return false }
        let providedKey = auth[..<colon]
        let signature = String(auth[auth.index(after: colon)...])
        // The key is public; comparing it early leaks nothing.
        guard providedKey == key else { return false }
        return signer.isValid(signature, for: message)
    }

    /// The `shared_secret` of an encrypted channel: base64(SHA256(channel name ++ master key)).
    public static func sharedSecret(channel: String, masterKey: [UInt8]) -> String {
        Data(SHA256.hash(data: Array(channel.utf8) + masterKey)).base64EncodedString()
    }
}
