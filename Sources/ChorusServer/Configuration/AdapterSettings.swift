package import ChorusCluster
import ChorusRedis
import NIOCore

/// How nodes of one cluster reach each other: `adapter: {driver, url, prefix, …}`. `local` (the
/// default) is one node on its own; `redis` relays events, presence and counts over Redis pub/sub
/// (docs/scale-out.md).
public struct AdapterSettings: Sendable, Hashable, Codable, ConfigurationSection {
    /// Which adapter relays between nodes.
    public enum Driver: String, Sendable, Hashable, Codable {
        case local
        case redis
    }

    public var driver: Driver = .local
    /// `redis://[:password@]host[:port][/database]`.
    public var url: String = "redis://127.0.0.1:6379"
    /// Prefixes the Redis channel, so several clusters can share one Redis.
    public var prefix: String = "chorus"
    public var heartbeatIntervalMs: Int = 1000
    /// Silence after which the other nodes drop a node's presence members and counts.
    public var nodeTimeoutMs: Int = 5000

    public init() {}

    package static var settings: [ConfigurationSetting<Self>] {
        [
            .value("driver", \.driver),
            .value("url", \.url),
            .value("prefix", \.prefix) { $0.isEmpty ? ["must not be empty"] : [] },
            .int("heartbeat_interval_ms", \.heartbeatIntervalMs, .within(100...60_000)),
            .int("node_timeout_ms", \.nodeTimeoutMs, .within(500...600_000)),
        ]
    }

    public init(from decoder: any Decoder) throws {
        try decodeSettings(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeSettings(to: encoder)
    }

    /// Problems that keep the adapter from starting, each naming its field.
    var problems: [String] {
        guard driver == .redis else { return [] }
        var problems: [String] = []
        do {
            _ = try RedisAddress(url: url)
        } catch {
            problems.append("adapter.url: \(error)")
        }
        if nodeTimeoutMs < 2 * heartbeatIntervalMs {
            problems.append("adapter.node_timeout_ms must be at least twice heartbeat_interval_ms")
        }
        return problems
    }

    /// The link's settings, when the driver is redis and the URL reads.
    package var linkSettings: ClusterLink.Settings? {
        guard driver == .redis, let address = try? RedisAddress(url: url) else { return nil }
        return ClusterLink.Settings(
            address: address,
            prefix: prefix,
            heartbeatInterval: .milliseconds(Int64(heartbeatIntervalMs)),
            nodeTimeout: .milliseconds(Int64(nodeTimeoutMs))
        )
    }

    /// How the adapter is described at start-up (the URL without its password).
    public var summary: String {
        switch driver {
        case .local: "local (one node)"
        case .redis: "redis " + url.replacing(/:[^:@\/]*@/, with: ":***@") + " prefix \(prefix)"
        }
    }
}
