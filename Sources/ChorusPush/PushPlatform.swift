/// The notification services a device can be registered with.
public enum PushPlatform: String, Sendable, Hashable, CaseIterable, Codable {
    case apns
    case fcm
    case webPush = "web_push"

    /// The credential this platform's deliveries need.
    public var provider: PushProviderName {
        switch self {
        case .apns: .apns
        case .fcm: .fcm
        case .webPush: .webPush
        }
    }
}

/// A provider as it is named in `…/push/credentials/{provider}`.
public enum PushProviderName: String, Sendable, Hashable, CaseIterable, Codable {
    case apns
    case fcm
    case webPush = "webpush"
}
