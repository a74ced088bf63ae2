/// The server a conformance run judges, and what it offers beyond one enabled app.
///
/// HTTP requests go to ``host``:``port`` and WebSockets open on ``webSocketHost``:``webSocketPort``
/// (the same server unless told otherwise): two nodes of one cluster must pass as one server does.
public struct ConformanceTarget: Sendable {
    /// How long a cluster's query API may lag behind a subscription made on another node (issue
    /// #17 allows 5 s): HTTP reads are retried that long when the WebSockets are on another server.
    public static let clusterQueryLagMS = 5_000

    /// One app's credentials.
    public struct App: Sendable, Hashable {
        public var id: String
        public var key: String
        public var secret: String

        public init(id: String, key: String, secret: String) {
            self.id = id
            self.key = key
            self.secret = secret
        }

        /// Parses `id:key:secret`.
        public init?(triple: String) {
            let parts = triple.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, !parts.contains(where: \.isEmpty) else { return nil }
            self.init(id: parts[0], key: parts[1], secret: parts[2])
        }
    }

    /// Where HTTP API requests go.
    public var host: String
    public var port: Int
    /// Where WebSockets open.
    public var webSocketHost: String
    public var webSocketPort: Int
    /// The app most cases use; enabled, with client events enabled.
    public var app: App
    /// Another enabled app, for isolation cases (capability `second_app`).
    public var secondApp: App?
    /// A disabled app (capability `disabled_app`).
    public var disabledApp: App?
    /// An app with an API rate limit of `apiRateLimit` requests per window (capability `rate_limit`).
    public var rateLimitedApp: App?
    public var apiRateLimit: Int?
    /// An enabled app with client events disabled (capability `client_events_disabled_app`).
    public var noClientEventsApp: App?
    /// An enabled app with subscription counts enabled (capability `subscription_count_app`).
    public var subscriptionCountApp: App?
    /// An enabled app whose `allowed_origins` allow `https://*.allowed.test` and nothing outside it
    /// (capability `origins_app`).
    public var originsApp: App?
    /// `max_event_payload_in_kb` of the main app.
    public var maxEventPayloadKB: Int
    /// `max_event_channels_at_once` of the main app.
    public var maxEventChannels: Int
    /// `max_event_batch_size` of the main app.
    public var maxEventBatchSize: Int
    /// Client events one connection may send per second.
    public var maxClientEventsPerSecond: Int
    /// The optional features the server offers (a ``ServerProfile``'s, adjusted by `--capabilities`);
    /// credentials-based capabilities (`second_app`, …) are added from the apps given.
    public var features: Set<String>

    public init(
        host: String,
        port: Int,
        app: App,
        secondApp: App? = nil,
        disabledApp: App? = nil,
        rateLimitedApp: App? = nil,
        apiRateLimit: Int? = nil,
        maxEventPayloadKB: Int = 100,
        maxEventChannels: Int = 100,
        maxEventBatchSize: Int = 10,
        maxClientEventsPerSecond: Int = 10,
        features: Set<String> = ServerProfile.chorus.capabilities,
        noClientEventsApp: App? = nil,
        subscriptionCountApp: App? = nil,
        webSocketHost: String? = nil,
        webSocketPort: Int? = nil,
        originsApp: App? = nil
    ) {
        self.originsApp = originsApp
        self.webSocketHost = webSocketHost ?? host
        self.webSocketPort = webSocketPort ?? port
        self.noClientEventsApp = noClientEventsApp
        self.subscriptionCountApp = subscriptionCountApp
        self.features = features
        self.host = host
        self.port = port
        self.app = app
        self.secondApp = secondApp
        self.disabledApp = disabledApp
        self.rateLimitedApp = rateLimitedApp
        self.apiRateLimit = apiRateLimit
        self.maxEventPayloadKB = maxEventPayloadKB
        self.maxEventChannels = maxEventChannels
        self.maxEventBatchSize = maxEventBatchSize
        self.maxClientEventsPerSecond = maxClientEventsPerSecond
    }

    /// Whether WebSockets open on another server than the one HTTP requests go to.
    public var splitsWebSocketsFromHTTP: Bool { webSocketHost != host || webSocketPort != port }

    /// How long an HTTP read may have to be retried before it shows what a WebSocket did: zero on
    /// one server, ``clusterQueryLagMS`` when the WebSockets are on another.
    var readLagMS: Int { splitsWebSocketsFromHTTP ? Self.clusterQueryLagMS : 0 }

    /// What this target offers, as case `requires` lists name it.
    public var capabilities: Set<String> {
        var capabilities = features.subtracting(ServerProfile.credentialCapabilities)
        if noClientEventsApp != nil { capabilities.insert("client_events_disabled_app") }
        if subscriptionCountApp != nil { capabilities.insert("subscription_count_app") }
        if originsApp != nil { capabilities.insert("origins_app") }
        if secondApp != nil { capabilities.insert("second_app") }
        if disabledApp != nil { capabilities.insert("disabled_app") }
        if rateLimitedApp != nil, apiRateLimit != nil { capabilities.insert("rate_limit") }
        return capabilities
    }

    /// The app a step names: `main`, `second`, `disabled`, `rate_limited`, `origins`, or `unknown` (credentials no server has).
    func app(named name: String) -> App? {
        switch name {
        case "main": app
        case "second": secondApp
        case "disabled": disabledApp
        case "rate_limited": rateLimitedApp
        case "no_client_events": noClientEventsApp
        case "subscription_count": subscriptionCountApp
        case "origins": originsApp
        case "unknown": App(id: "987654321", key: "chorus-conformance-unknown-key", secret: "unknown-secret")
        default: nil
        }
    }

    /// Why a case needing `requirements` cannot run here, or `nil` if it can.
    public func skipReason(for requirements: [String]) -> String? {
        let missing = requirements.filter { !capabilities.contains($0) }
        guard !missing.isEmpty else { return nil }
        return "target lacks "
            + missing.map { requirement in
                switch requirement {
                case "second_app": "a second app (--second-app id:key:secret)"
                case "disabled_app": "a disabled app (--disabled-app id:key:secret)"
                case "rate_limit": "a rate-limited app (--rate-limited-app id:key:secret --api-rate-limit N)"
                case "client_events_disabled_app":
                    "an app with client events disabled (--no-client-events-app id:key:secret)"
                case "subscription_count_app":
                    "an app with subscription counts enabled (--subscription-count-app id:key:secret)"
                case "origins_app":
                    "an app allowing the origins https://*.allowed.test only (--origins-app id:key:secret)"
                default:
                    "capability '\(requirement)' (\(ServerProfile.knownCapabilities[requirement] ?? "not declared"); "
                        + "declare it with --capabilities \(requirement) or a --profile that has it)"
                }
            }.joined(separator: ", ")
    }
}
