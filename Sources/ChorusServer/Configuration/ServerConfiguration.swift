public import ChorusCore
import NIOCore

/// Everything `chorus serve` runs with: where it listens, its timeouts and limits, and its apps.
public struct ServerConfiguration: Sendable, Codable, ConfigurationSection {
    public var host: String = "127.0.0.1"
    /// TCP port for both the WebSocket endpoint and the HTTP API; 0 picks a free one.
    public var port: Int = 6001
    /// Event loops (threads) serving connections; each owns one broadcast shard.
    public var eventLoops: Int = System.coreCount
    /// Seconds of client silence before the server sends `pusher:ping`; announced to clients.
    public var activityTimeoutSeconds: Int = 120
    /// Seconds the server waits for a pong before closing with 4201.
    public var pongTimeoutSeconds: Int = 30
    /// Seconds a graceful shutdown waits for clients to take their queued frames and close.
    public var shutdownGraceSeconds: Int = 5
    /// Largest WebSocket message a client may send; larger ones close the connection with 1009.
    public var maxMessageBytes: Int = 128 * 1024
    /// Largest HTTP request body; larger ones are refused with 413 before they are read.
    public var maxRequestBodyBytes: Int = 4 * 1024 * 1024
    /// Seconds an HTTP request head (an upgrade request's too) may take to arrive, counted from the
    /// connection opening or from the first byte of a later request; then 408 and close.
    public var httpHeaderTimeoutSeconds: Int = 10
    /// Longest silence, in seconds, while an HTTP request body is arriving; then 408 and close.
    public var httpBodyTimeoutSeconds: Int = 10
    /// Seconds a keep-alive HTTP connection may wait for its next request before it is closed.
    public var httpIdleTimeoutSeconds: Int = 60
    /// Frames held for a connection that is not writable before the slow-consumer policy applies.
    public var outboundFramesPerConnection: Int = 64
    public var slowConsumerPolicy: SlowConsumerPolicy = .close
    /// Certificate and key that make the port serve `wss://` and `https://` only; plain text when `nil`.
    public var tls: TLSSettings?
    /// Whether WebSocket clients that offer `permessage-deflate` (RFC 7692) get it.
    public var permessageDeflate: Bool = true
    /// Address of the plain-HTTP `/metrics` listener (loopback: not reachable from outside).
    public var metricsHost: String = "127.0.0.1"
    /// Port of the `/metrics` listener, apart from the public port; 0 picks a free one.
    public var metricsPort: Int = 9601
    /// The token of the debug console at `/console` on the metrics listener; no console when `nil`.
    public var consoleToken: String?
    /// Signed HTTP API requests one client IP may make in any 60 s; 0 turns the limit off.
    public var apiRequestsPerIPPerMinute: Int = Self.defaultAPIRequestsPerIPPerMinute
    /// WebSocket upgrades one client IP may make per second; over it, 429. 0 turns the limit off.
    public var connectionsPerIPPerSecond: Int = Self.defaultConnectionsPerIPPerSecond
    /// Addresses (or CIDR ranges) of proxies whose `X-Forwarded-For` names the client.
    public var trustedProxies: [String] = []
    /// Where history is kept: SQLite at `chorus-data/chorus.sqlite` unless configured.
    public var storage = StorageSettings()
    /// How push notifications reach APNs, FCM and Web Push services.
    public var pushDelivery = PushDeliverySettings()
    /// How this node reaches the other nodes of its cluster (`local`: none).
    public var adapter = AdapterSettings()
    /// Apps kept in a database besides ``apps``, re-read while the server runs; none by default.
    public var appStore = AppStoreSettings()
    public var apps: [AppConfiguration]

    public init(apps: [AppConfiguration]) {
        self.apps = apps
    }

    /// The app `chorus serve` runs with when given no configuration: it keeps history for every
    /// channel and takes push requests.
    public static let defaultApp: AppConfiguration = {
        var app = AppConfiguration(id: "1", key: "chorus-key", secret: "chorus-secret")
        app.history = .everyChannel
        app.push = .on
        return app
    }()

    /// The shortest `console_token` accepted: it guards a page that can publish.
    public static let minimumConsoleTokenLength = 16

    /// seed 004's per-IP figure for the signed API, the default of a configuration file.
    public static let defaultAPIRequestsPerIPPerMinute = 300

    /// WebSocket upgrades per client address per second a configuration file allows by default.
    public static let defaultConnectionsPerIPPerSecond = 1000

    /// History in SQLite and one default app: what `chorus serve` runs with no config. The per-IP
    /// limits are off, so `chorus load` on the same machine runs at full speed (it sends every
    /// request and opens every connection from one address).
    public static var embeddedDefault: ServerConfiguration {
        var configuration = ServerConfiguration(apps: [defaultApp])
        configuration.apiRequestsPerIPPerMinute = 0
        configuration.connectionsPerIPPerSecond = 0
        return configuration
    }

    /// The timeouts every HTTP connection runs with until it upgrades to WebSocket.
    package var httpTimeouts: HTTPTimeouts {
        HTTPTimeouts(
            header: .seconds(Int64(httpHeaderTimeoutSeconds)),
            body: .seconds(Int64(httpBodyTimeoutSeconds)),
            idle: .seconds(Int64(httpIdleTimeoutSeconds))
        )
    }

    /// The outbound limits each shard is built with.
    public var outboundLimits: OutboundLimits {
        OutboundLimits(framesPerConnection: outboundFramesPerConnection, policy: slowConsumerPolicy)
    }

    /// The settings as the configuration file names them, each with its rule; the defaults are
    /// the initial values above (and the default app when `apps` is absent).
    package static var settings: [ConfigurationSetting<Self>] {
        [
            .value("host", \.host),
            .int("port", \.port, .within(0...65535)),
            .int("event_loops", \.eventLoops, .atLeast(1)),
            .int("activity_timeout_seconds", \.activityTimeoutSeconds, .atLeast(1)),
            .int("pong_timeout_seconds", \.pongTimeoutSeconds, .atLeast(1)),
            .int("shutdown_grace_seconds", \.shutdownGraceSeconds, .within(0...300)),
            .int("max_message_bytes", \.maxMessageBytes, .atLeast(1024)),
            .int("max_request_body_bytes", \.maxRequestBodyBytes, .atLeast(1024)),
            .int("http_header_timeout_seconds", \.httpHeaderTimeoutSeconds, .atLeast(1)),
            .int("http_body_timeout_seconds", \.httpBodyTimeoutSeconds, .atLeast(1)),
            .int("http_idle_timeout_seconds", \.httpIdleTimeoutSeconds, .atLeast(1)),
            .int("outbound_frames_per_connection", \.outboundFramesPerConnection, .within(1...Int(UInt16.max))),
            .value("slow_consumer_policy", \.slowConsumerPolicy),
            .value("tls", \.tls),
            .value("permessage_deflate", \.permessageDeflate),
            .value("metrics_host", \.metricsHost),
            .int("metrics_port", \.metricsPort, .within(0...65535)),
            .value("console_token", \.consoleToken) { token in
                guard let token else { return [] }
                return token.count >= Self.minimumConsoleTokenLength && !token.contains(where: \.isWhitespace)
                    ? [] : ["must be at least \(Self.minimumConsoleTokenLength) characters with no spaces"]
            },
            .int("api_requests_per_ip_per_minute", \.apiRequestsPerIPPerMinute, .zeroMeansUnlimited),
            .int("connections_per_ip_per_second", \.connectionsPerIPPerSecond, .zeroMeansUnlimited),
            .value("trusted_proxies", \.trustedProxies),
            .section("storage", \.storage),
            .section("push_delivery", \.pushDelivery),
            .section("adapter", \.adapter),
            .section("app_store", \.appStore),
            .value("apps", \.apps),
        ]
    }

    public init(from decoder: any Decoder) throws {
        self = .embeddedDefault
        apiRequestsPerIPPerMinute = Self.defaultAPIRequestsPerIPPerMinute
        connectionsPerIPPerSecond = Self.defaultConnectionsPerIPPerSecond
        try decodeSettings(from: decoder)
        // With an app store and no `apps`, the apps are the store's: no default app behind them.
        if appStore.isEnabled, try !decoder.container(keyedBy: ConfigurationKey.self).contains(ConfigurationKey("apps"))
        {
            apps = []
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeSettings(to: encoder)
    }

    /// Problems that keep the server from starting, each naming its field.
    public func problems() -> [String] {
        var problems =
            settingProblems + (tls?.settingProblems.map { "tls.\($0)" } ?? []) + storage.problems
            + pushDelivery.problems + adapter.problems + appStore.problems
        if apps.isEmpty, !appStore.isEnabled {
            problems.append("apps must name at least one app (or app_store must name a store of apps)")
        }
        problems += apps.flatMap { $0.problems() }
        problems += apps.flatMap(payloadProblems)
        problems += trustedProxyProblems
        for (field, values) in [("id", apps.map(\.id)), ("key", apps.map(\.key))] {
            let duplicates = Dictionary(grouping: values, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            if !duplicates.isEmpty { problems.append("apps: duplicate \(field) \(duplicates.joined(separator: ", "))") }
        }
        return problems
    }

    /// An event as large as `app` allows must fit in an HTTP request body and in a WebSocket message.
    func payloadProblems(_ app: AppConfiguration) -> [String] {
        let payload = "app '\(app.id)': max_event_payload_in_kb (\(app.maxEventPayloadInKB))"
        var problems: [String] = []
        if app.largestPublishBodyBytes > maxRequestBodyBytes {
            problems.append(
                "\(payload) needs request bodies of \(app.largestPublishBodyBytes) bytes with the JSON envelope, "
                    + "over max_request_body_bytes (\(maxRequestBodyBytes))"
            )
        }
        if app.largestClientEventBytes > maxMessageBytes {
            problems.append(
                "\(payload) needs WebSocket messages of \(app.largestClientEventBytes) bytes with the JSON envelope, "
                    + "over max_message_bytes (\(maxMessageBytes))"
            )
        }
        return problems
    }
}

extension SlowConsumerPolicy: Codable {}
