package import ChorusProtocol
import Foundation
package import NIOCore
package import NIOHTTP1
package import NIOPosix

/// A client of the Pusher HTTP API that signs its requests and keeps one HTTP/1.1 connection alive
/// between them (reconnecting when the server closes it).
package actor PusherHTTPClient {
    package let host: String
    package let port: Int
    package let signer: RequestSigner
    private let group: any EventLoopGroup
    private let timeout: TimeAmount
    private var channel: (any Channel)?
    /// `https://`: requests go over TLS with these trust roots; `nil` (the default): `http://`.
    private let tls: ClientTLS?

    package init(
        host: String,
        port: Int,
        key: String,
        secret: String,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        timeout: TimeAmount = .seconds(10),
        tls: ClientTLS? = nil
    ) {
        self.host = host
        self.port = port
        self.signer = RequestSigner(key: key, secret: secret)
        self.group = group
        self.timeout = timeout
        self.tls = tls
    }

    /// Sends one request; `query` holds the caller's own parameters, the auth ones are added per `signing`.
    package func request(
        method: HTTPMethod,
        path: String,
        query: [(String, String)] = [],
        body: [UInt8] = [],
        signing: RequestSigning = .valid,
        headers extraHeaders: [(String, String)] = []
    ) async throws -> PusherHTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(host):\(port)")
        headers.add(name: "Content-Length", value: String(body.count))
        if !body.isEmpty { headers.add(name: "Content-Type", value: "application/json") }
        for (name, value) in extraHeaders { headers.replaceOrAdd(name: name, value: value) }
        let target = self.target(method: method.rawValue, path: path, query: query, body: body, signing: signing)
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: target, headers: headers)

        let channel = try await connection()
        let promise = channel.eventLoop.makePromise(of: PusherHTTPResponse.self)
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(PusherHTTPClientError.timedOut)
            channel.close(promise: nil)
        }
        promise.futureResult.whenComplete { _ in deadline.cancel() }
        let exchange = HTTPExchange(
            head: head,
            body: body.isEmpty ? nil : channel.allocator.buffer(bytes: body),
            response: promise
        )
        channel.writeAndFlush(exchange, promise: nil)
        let response = try await promise.futureResult.get()
        if response.headers[canonicalForm: "connection"].contains(where: { $0.lowercased() == "close" }) {
            self.channel = nil
            try? await channel.close()
        }
        return response
    }

    /// `POST /apps/{appID}/events` with `{name, data, channels, socket_id?}`; `data` is sent as given.
    package func trigger(
        appID: String,
        name: String,
        channels: [String],
        data: String,
        socketID: String? = nil
    ) async throws -> PusherHTTPResponse {
        var event: [String: JSONValue] = [
            "name": .string(name),
            "data": .string(data),
            "channels": .array(channels.map { .string($0) }),
        ]
        if let socketID { event["socket_id"] = .string(socketID) }
        return try await request(
            method: .POST,
            path: "/apps/\(appID)/events",
            body: Array(JSONValue.object(event).jsonText.utf8)
        )
    }

    /// `POST /apps/{appID}/batch_events` with `{"batch": events}`.
    package func triggerBatch(appID: String, events: [JSONValue]) async throws -> PusherHTTPResponse {
        let body: JSONValue = ["batch": .array(events)]
        return try await request(method: .POST, path: "/apps/\(appID)/batch_events", body: Array(body.jsonText.utf8))
    }

    /// Closes the kept-alive connection.
    package func shutdown() async {
        if let channel {
            self.channel = nil
            try? await channel.close()
        }
    }

    private func connection() async throws -> any Channel {
        if let channel, channel.isActive { return channel }
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { [host, tls] channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(tls.handler(host: host)) }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(HTTPExchangeHandler())
                }
            }
            .connect(host: host, port: port)
            .get()
        self.channel = channel
        return channel
    }

    private func target(
        method: String,
        path: String,
        query: [(String, String)],
        body: [UInt8],
        signing: RequestSigning
    ) -> String {
        var parameters: [(String, String)]
        switch signing {
        case .none:
            parameters = query
        case .valid:
            parameters = signer.signedQuery(method: method, path: path, body: body, extra: query)
        case .timestamp(let timestamp):
            parameters = signer.signedQuery(method: method, path: path, body: body, extra: query, timestamp: timestamp)
        case .badSignature:
            parameters = signer.signedQuery(method: method, path: path, body: body, extra: query)
            if let index = parameters.firstIndex(where: { $0.0 == "auth_signature" }) {
                parameters[index].1 = String(repeating: "0", count: 64)
            }
        case .authVersion(let version):
            parameters =
                query + [
                    ("auth_key", signer.key), ("auth_timestamp", String(Int(Date().timeIntervalSince1970))),
                    ("auth_version", version),
                ]
            if !body.isEmpty { parameters.append(("body_md5", Hex.md5(body))) }
            parameters.append(("auth_signature", signer.signature(method: method, path: path, query: parameters)))
        case .emptyBodyMD5:
            parameters = signer.signedQuery(
                method: method,
                path: path,
                body: body,
                extra: body.isEmpty ? query + [("body_md5", Hex.md5([]))] : query
            )
        case .badBodyMD5:
            var unsigned = query
            unsigned.append(("body_md5", Hex.md5(body + Array("tampered".utf8))))
            parameters = signer.signedQuery(method: method, path: path, extra: unsigned)
        }
        guard !parameters.isEmpty else { return path }
        return path + "?"
            + parameters.map { "\(QueryString.percentEncode($0.0))=\(QueryString.percentEncode($0.1))" }.joined(
                separator: "&"
            )
    }
}

/// Why an HTTP API request produced no response.
package enum PusherHTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    case connectionClosed
    case timedOut

    package var description: String {
        switch self {
        case .connectionClosed: "The server closed the connection before answering"
        case .timedOut: "No HTTP response in time"
        }
    }
}
