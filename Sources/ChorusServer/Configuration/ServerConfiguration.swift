public import ChorusCore
import NIOCore

/// Everything `chorus serve` runs with: where it listens, its timeouts and limits, and its apps.
public struct ServerConfiguration: Sendable, Codable {
    public var host: String = "127.0.0.1"
    /// TCP port for both the WebSocket endpoint and the HTTP API; 0 picks a free one.
    public var port: Int = 6001
    /// Event loops (threads) serving connections; each owns one broadcast shard.
    public var eventLoops: Int = System.coreCount
    /// Seconds of client silence before the server sends `pusher:ping`; announced to clients.
    public var activityTimeoutSeconds: Int = 120
    /// Seconds the server waits for a pong before closing with 4201.
    public var pongTimeoutSeconds: Int = 30
    /// Largest WebSocket message a client may send; larger ones close the connection with 1009.
    public var maxMessageBytes: Int = 128 * 1024
    /// Largest HTTP request body; larger ones are refused with 413 before they are read.
    public var maxRequestBodyBytes: Int = 4 * 1024 * 1024
    /// Frames held for a connection that is not writable before the slow-consumer policy applies.
    public var outboundFramesPerConnection: Int = 64
    public var slowConsumerPolicy: SlowConsumerPolicy = .close
    public var apps: [AppConfiguration]

    public init(apps: [AppConfiguration]) {
        self.apps = apps
    }

    /// The app `chorus serve` runs with when given no configuration.
    public static let defaultApp = AppConfiguration(id: "1", key: "chorus-key", secret: "chorus-secret")

    /// In-memory state and one default app: what `chorus serve` runs with no config.
    public static var embeddedDefault: ServerConfiguration { ServerConfiguration(apps: [defaultApp]) }

    /// The outbound limits each shard is built with.
    public var outboundLimits: OutboundLimits {
        OutboundLimits(framesPerConnection: outboundFramesPerConnection, policy: slowConsumerPolicy)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port, apps
        case eventLoops = "event_loops"
        case activityTimeoutSeconds = "activity_timeout_seconds"
        case pongTimeoutSeconds = "pong_timeout_seconds"
        case maxMessageBytes = "max_message_bytes"
        case maxRequestBodyBytes = "max_request_body_bytes"
        case outboundFramesPerConnection = "outbound_frames_per_connection"
        case slowConsumerPolicy = "slow_consumer_policy"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try UnknownKeys.reject(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let d = ServerConfiguration(apps: [])
        apps = try c.decodeIfPresent([AppConfiguration].self, forKey: .apps) ?? [Self.defaultApp]
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? d.host
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? d.port
        eventLoops = try c.decodeIfPresent(Int.self, forKey: .eventLoops) ?? d.eventLoops
        activityTimeoutSeconds =
            try c.decodeIfPresent(Int.self, forKey: .activityTimeoutSeconds) ?? d.activityTimeoutSeconds
        pongTimeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .pongTimeoutSeconds) ?? d.pongTimeoutSeconds
        maxMessageBytes = try c.decodeIfPresent(Int.self, forKey: .maxMessageBytes) ?? d.maxMessageBytes
        maxRequestBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxRequestBodyBytes) ?? d.maxRequestBodyBytes
        outboundFramesPerConnection =
            try c.decodeIfPresent(Int.self, forKey: .outboundFramesPerConnection) ?? d.outboundFramesPerConnection
        slowConsumerPolicy =
            try c.decodeIfPresent(SlowConsumerPolicy.self, forKey: .slowConsumerPolicy) ?? d.slowConsumerPolicy
    }

    /// Problems that keep the server from starting, each naming its field.
    public func problems() -> [String] {
        var problems: [String] = []
        if !(0...65535).contains(port) { problems.append("port must be 0...65535, got \(port)") }
        if eventLoops < 1 { problems.append("event_loops must be at least 1, got \(eventLoops)") }
        if activityTimeoutSeconds < 1 { problems.append("activity_timeout_seconds must be at least 1") }
        if pongTimeoutSeconds < 1 { problems.append("pong_timeout_seconds must be at least 1") }
        if maxMessageBytes < 1024 { problems.append("max_message_bytes must be at least 1024") }
        if maxRequestBodyBytes < 1024 { problems.append("max_request_body_bytes must be at least 1024") }
        if !(1...Int(UInt16.max)).contains(outboundFramesPerConnection) {
            problems.append("outbound_frames_per_connection must be 1...65535")
        }
        if apps.isEmpty { problems.append("apps must name at least one app") }
        problems += apps.flatMap { $0.problems() }
        for (field, values) in [("id", apps.map(\.id)), ("key", apps.map(\.key))] {
            let duplicates = Dictionary(grouping: values, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            if !duplicates.isEmpty { problems.append("apps: duplicate \(field) \(duplicates.joined(separator: ", "))") }
        }
        return problems
    }
}

extension SlowConsumerPolicy: Codable {}
