import Foundation

/// The optional features a server family offers, so that a correct server of another family is not
/// failed for what it simply does not have. A case names what it needs in `requires`.
public enum ServerProfile: String, Sendable, CaseIterable {
    case pusher
    case sockudo
    case chorus

    /// Capabilities a profile can declare or `--capabilities` can add, with what each means.
    public static let knownCapabilities: [String: String] = [
        "client_events": "client events enabled on the main app",
        "encrypted_channels": "private-encrypted- channels",
        "cache_channels": "cache channels (cache-, private-cache-, …)",
        "delta": "delta compression (Sockudo extension)",
        "tag_filters": "tag filters on subscriptions (Sockudo extension)",
        "subscription_count": "pusher_internal:subscription_count events",
        "user_signin": "pusher:signin and #server-to-user channels",
        "history": "channel history, versioned messages and annotations (V2 HTTP API) on hist-* channels",
        "push": "push notifications (V2 HTTP API)",
        "auth_endpoint": "POST /apps/{id}/auth, the server signing subscriptions itself",
        "protocol_2": "Sockudo's protocol 2 (?protocol=2: sockudo: event names)",
        "permessage_deflate": "permessage-deflate compression of WebSocket messages (RFC 7692)",
        "second_app": "a second enabled app (--second-app)",
        "disabled_app": "a disabled app (--disabled-app)",
        "rate_limit": "a rate-limited app (--rate-limited-app, --api-rate-limit)",
        "client_events_disabled_app": "an app with client events disabled (--no-client-events-app)",
        "subscription_count_app": "an app with subscription counts enabled (--subscription-count-app)",
        "origins_app": "an app whose allowed_origins are https://*.allowed.test (--origins-app)",
        "conflation":
            "delta conflation on conflated-* channels keyed by the data's symbol (server configuration, so never from a profile: --capabilities conflation or --probe)",
    ]

    /// Capabilities that come from the apps given on the command line, never from a profile.
    public static let credentialCapabilities: Set<String> = [
        "second_app", "disabled_app", "rate_limit", "client_events_disabled_app", "subscription_count_app",
        "origins_app",
    ]

    /// What servers of this family offer (credentials-based capabilities come from the options).
    public var capabilities: Set<String> {
        switch self {
        case .pusher:
            ["client_events", "encrypted_channels", "cache_channels", "subscription_count", "user_signin"]
        case .sockudo:
            [
                "client_events", "encrypted_channels", "cache_channels", "delta", "tag_filters",
                "subscription_count", "user_signin", "history", "push", "protocol_2",
            ]
        case .chorus:
            [
                "client_events", "encrypted_channels", "cache_channels", "delta", "tag_filters",
                "subscription_count", "user_signin", "auth_endpoint", "history", "push", "permessage_deflate",
                "protocol_2",
            ]
        }
    }

    /// Applies a `--capabilities` list to `base`: `name` adds a capability, `-name` removes it.
    /// Unknown names are an error naming them.
    public static func apply(_ list: String, to base: Set<String>) throws(CaseFileError) -> Set<String> {
        var result = base
        for item in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let removing = item.hasPrefix("-")
            let name = removing ? String(item.dropFirst()) : item
            guard knownCapabilities[name] != nil else {
                throw CaseFileError(
                    "unknown capability '\(name)'; known: \(knownCapabilities.keys.sorted().joined(separator: ", "))"
                )
            }
            if removing { result.remove(name) } else { result.insert(name) }
        }
        return result
    }
}
