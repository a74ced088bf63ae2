package import ChorusClient
package import NIOCore

/// The servers a run drives and the app credentials it uses: one server, or the nodes of a cluster
/// that subscribers are spread over while every publish goes to one of them.
public struct LoadTarget: Sendable {
    /// Where subscribers connect: round robin per channel, the `k`-th connection of channel `c`
    /// to `addresses[(k + c) % addresses.count]` (``ConnectionPlan/spreadIndex``), so every channel
    /// has subscribers on every server; client-event senders publish, so they connect to
    /// ``publishAddress``.
    public private(set) var addresses: [ServerAddress]
    /// The index in ``addresses`` of the server every publish goes to (HTTP API and client-event
    /// senders), and the history check reads from.
    public private(set) var publishIndex: Int
    public var appID: String
    public var key: String
    public var secret: String
    /// The server's process id, for its CPU and memory figures; `nil` skips them.
    public var serverPID: Int32?
    /// Whether connections offer `permessage-deflate` (as browsers do) and inflate what the server
    /// compresses.
    public var offersDeflate = false
    /// How connections and API requests speak TLS; `nil`: they do not (``useTLS(caFile:)``).
    package private(set) var tls: ClientTLS?
    /// The local address subscriber connections bind to (a worker's own loopback address, see
    /// ``LoadWorker``); `nil`: the system chooses.
    package var sourceAddress: SocketAddress?

    /// One server.
    public init(host: String, port: Int, appID: String, key: String, secret: String, serverPID: Int32? = nil) {
        self.addresses = [ServerAddress(host: host, port: port)]
        self.publishIndex = 0
        self.appID = appID
        self.key = key
        self.secret = secret
        self.serverPID = serverPID
    }

    /// Several servers (or one); throws for an empty list or a `publishIndex` outside it.
    public init(
        addresses: [ServerAddress],
        publishIndex: Int = 0,
        appID: String,
        key: String,
        secret: String,
        serverPID: Int32? = nil
    ) throws(LoadTargetError) {
        guard !addresses.isEmpty else { throw .noTargets }
        guard addresses.indices.contains(publishIndex) else {
            throw .publishTargetOutOfRange(publishIndex, count: addresses.count)
        }
        self.addresses = addresses
        self.publishIndex = publishIndex
        self.appID = appID
        self.key = key
        self.secret = secret
        self.serverPID = serverPID
    }

    /// Whether any address was written `wss://` or `https://`.
    public var asksForTLS: Bool { addresses.contains(where: \.tls) }

    /// Speaks TLS to every server, trusting the PEM certificates in `caFile` (`nil`: the system's
    /// roots); throws when the file holds no certificate.
    public mutating func useTLS(caFile: String?) throws {
        tls = try caFile.map { try ClientTLS(caFile: $0) } ?? ClientTLS()
    }

    /// The server publishes go to.
    public var publishAddress: ServerAddress { addresses[publishIndex] }

    /// Whether every server is on this machine's IPv4 loopback network (127.0.0.0/8), so
    /// connections can come from any 127.x address.
    package var isLoopback: Bool { addresses.allSatisfy { $0.host.hasPrefix("127.") } }

    /// The index in ``addresses`` of the server `plan`'s connection opens on.
    package func addressIndex(of plan: ConnectionPlan) -> Int {
        plan.sendsClientEvents ? publishIndex : plan.spreadIndex % addresses.count
    }
}

/// Why the servers of a run cannot be what was asked for.
public enum LoadTargetError: Error, Sendable, Hashable, CustomStringConvertible {
    case noTargets
    case publishTargetOutOfRange(Int, count: Int)
    case badAddress(ServerAddressError)
    /// `--target` names the servers, so `--host`/`--port` would be ignored.
    case targetWithHostOrPort

    public var description: String {
        switch self {
        case .noTargets:
            "no target: give at least one --target host:port (or a non-empty targets: list in the scenario)"
        case .publishTargetOutOfRange(let index, let count):
            "publish target \(index) (--publish-target or publish_target) is out of range: there \(count == 1 ? "is 1 target" : "are \(count) targets"), "
                + "numbered from 0 to \(count - 1)"
        case .badAddress(let error):
            "--target \(error)"
        case .targetWithHostOrPort:
            "give the servers either as --target host:port (repeatable) or as --host/--port, not both"
        }
    }
}
