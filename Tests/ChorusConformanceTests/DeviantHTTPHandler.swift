import ChorusProtocol
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// The signed HTTP API of ``DeviantPusherServer``: events, batches and channel queries, each with
/// the faults that concern it.
final class DeviantHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let server: DeviantPusherServer
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    /// A refusal: status, message and machine code.
    struct Refusal: Error {
        var status: HTTPResponseStatus
        var message: String
        var code: String

        init(_ status: HTTPResponseStatus, _ message: String, _ code: String) {
            self.status = status
            self.message = message
            self.code = code
        }
    }

    init(server: DeviantPusherServer) {
        self.server = server
    }

    private func has(_ fault: DeviantFault) -> Bool { server.has(fault) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(let buffer):
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head else { return }
            let status: HTTPResponseStatus
            var text: String
            var contentType = "application/json"
            do {
                (status, text) = (.ok, try respond(to: head).jsonText)
            } catch {
                status = error.status
                var fields: [String: JSONValue] = ["error": .string(error.message)]
                if !has(.errorBodyWithoutCode) { fields["code"] = .string(error.code) }
                text = JSONValue.object(fields).jsonText
                if has(.errorBodyPlainText) {
                    text = error.message
                    contentType = "text/plain"
                }
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: contentType)
            headers.add(name: "Content-Length", value: String(text.utf8.count))
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                promise: nil
            )
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))),
                promise: nil
            )
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    private func respond(to head: HTTPRequestHead) throws(Refusal) -> JSONValue {
        let parts = head.uri.split(separator: "?", maxSplits: 1)
        let path = String(parts[0])
        let query = parts.count > 1 ? QueryString.parse(parts[1]) : []
        func parameter(_ name: String) -> String? { query.first { $0.0 == name }?.1 }
        let app = DeviantPusherServer.app
        guard parameter("auth_key") == app.key else { throw Refusal(.unauthorized, "Unknown auth_key", "unknown_key") }
        let signer = RequestSigner(key: app.key, secret: app.secret)
        guard let signature = parameter("auth_signature"),
            signer.isValid(signature, method: head.method.rawValue, path: path, query: query)
        else {
            throw Refusal(.unauthorized, "Invalid signature", "invalid_signature")
        }
        guard parameter("auth_version") == "1.0" || has(.authVersionNotChecked) else {
            throw Refusal(.unauthorized, "auth_version must be 1.0", "invalid_auth_version")
        }
        if body.isEmpty, parameter("body_md5") != nil, has(.emptyBodyMD5Refused) {
            throw Refusal(.unauthorized, "body_md5 without a body", "unexpected_body_md5")
        }
        let timestamp = Int(parameter("auth_timestamp") ?? "") ?? 0
        if abs(Int(Date().timeIntervalSince1970) - timestamp) > 600, !has(.timestampNotChecked) {
            throw Refusal(.unauthorized, "Timestamp expired", "expired_timestamp")
        }
        let segments = path.split(separator: "/").map(String.init)
        guard segments.count >= 3, segments[0] == "apps", segments[1] == app.id else {
            throw Refusal(.notFound, "Unknown app", "unknown_app")
        }
        let md5Checked = !has(.skipsBodyMD5) && !(has(.batchSkipsBodyMD5) && segments[2] == "batch_events")
        if md5Checked, !body.isEmpty, parameter("body_md5") != Hex.md5(body) {
            throw Refusal(.unauthorized, "body_md5 does not match", "body_md5_mismatch")
        }
        switch (head.method, Array(segments.dropFirst(2))) {
        case (.POST, ["events"]):
            let event = try validate(try json(body))
            return try publish(event) ?? [:]
        case (.POST, ["batch_events"]):
            return try batch(try json(body))
        case (.GET, ["channels"]):
            return try channels(prefix: parameter("filter_by_prefix") ?? "", info: infoFields(parameter("info")))
        case (.GET, let rest) where rest.count == 2 && rest[0] == "channels":
            return channel(rest[1], info: infoFields(parameter("info")))
        case (.POST, let rest) where rest.count == 3 && rest[0] == "users" && rest[2] == "terminate_connections":
            server.terminate(userID: rest[1])
            return [:]
        case (.GET, let rest) where rest.count == 3 && rest[0] == "channels" && rest[2] == "users":
            guard rest[1].hasPrefix("presence-") || has(.usersOfNonPresenceAllowed) else {
                throw Refusal(.badRequest, "Not a presence channel", "not_presence_channel")
            }
            return ["users": .array(server.users(rest[1]).map { ["id": .string($0)] })]
        default:
            throw Refusal(.notFound, "Not found", "not_found")
        }
    }

    private func json(_ bytes: [UInt8]) throws(Refusal) -> JSONValue {
        guard let value = try? JSONValue(parsing: String(decoding: bytes, as: UTF8.self)), value.objectValue != nil
        else {
            throw Refusal(.badRequest, "Body is not a JSON object", "invalid_json")
        }
        return value
    }

    private func infoFields(_ text: String?) -> Set<String> {
        Set((text ?? "").split(separator: ",").map(String.init))
    }

    // MARK: Events

    struct Event {
        var name: String
        var data: String
        var channels: [String]
        var socketID: String?
        var info: Set<String>
        var tags: [String: String]
    }

    private func validate(_ value: JSONValue) throws(Refusal) -> Event {
        guard let name = value["name"]?.stringValue, !name.isEmpty else {
            throw Refusal(.badRequest, "name is required", "missing_name")
        }
        let nameLimit = has(.eventNameLengthUnchecked) ? Int.max : has(.eventNameLimitOffByOne) ? 199 : 200
        guard name.count <= nameLimit else { throw Refusal(.badRequest, "name too long", "event_name_too_long") }
        if !has(.reservedEventNamesAccepted), name.hasPrefix("pusher:") || name.hasPrefix("pusher_internal:") {
            throw Refusal(.badRequest, "Reserved event name", "reserved_event_name")
        }
        guard let data = value["data"] else { throw Refusal(.badRequest, "data is required", "missing_data") }
        var channels: [String] = []
        if let channel = value["channel"]?.stringValue { channels.append(channel) }
        for channel in value["channels"]?.arrayValue ?? [] {
            guard let text = channel.stringValue else {
                throw Refusal(.badRequest, "Bad channels", "invalid_channel_name")
            }
            if !channels.contains(text) { channels.append(text) }
        }
        guard !channels.isEmpty else { throw Refusal(.badRequest, "channel or channels required", "missing_channels") }
        guard channels.count <= DeviantPusherServer.maxChannels || has(.channelLimitUnchecked) else {
            throw Refusal(.badRequest, "Too many channels", "too_many_channels")
        }
        for channel in channels where !server.isValidChannelName(channel, serverToUser: true) {
            throw Refusal(.badRequest, "Invalid channel name", "invalid_channel_name")
        }
        let text = data.stringValue ?? data.jsonText
        guard text.utf8.count <= DeviantPusherServer.payloadLimitKB * 1024 || has(.ignoresPayloadLimit) else {
            throw Refusal(.payloadTooLarge, "Payload too large", "payload_too_large")
        }
        return Event(
            name: name,
            data: text,
            channels: channels,
            socketID: value["socket_id"]?.stringValue,
            info: infoFields(value["info"]?.stringValue),
            tags: (value["tags"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        )
    }

    /// Publishes the event; returns its info answer when it asked for one.
    @discardableResult
    private func publish(_ event: Event) throws(Refusal) -> JSONValue? {
        for channel in event.channels {
            server.publish(
                event: event.name,
                channel: channel,
                data: event.data,
                excluding: event.socketID,
                tags: event.tags
            )
        }
        guard !event.info.isEmpty, !has(.triggerInfoIgnored) else { return nil }
        var channels: [String: JSONValue] = [:]
        for channel in event.channels { channels[channel] = counts(channel, info: event.info) }
        return ["channels": .object(channels)]
    }

    private func batch(_ value: JSONValue) throws(Refusal) -> JSONValue {
        guard let items = value["batch"]?.arrayValue, !items.isEmpty else {
            throw Refusal(.badRequest, "batch is required", "missing_batch")
        }
        guard items.count <= DeviantPusherServer.maxBatch || has(.batchLimitUnchecked) else {
            throw Refusal(.badRequest, "Batch too large", "batch_too_large")
        }
        var events: [Event] = []
        for item in items {
            let event = try validate(item)
            if has(.batchNotAtomic) { try publish(event) }
            events.append(event)
        }
        if !has(.batchNotAtomic) {
            for event in events { try publish(event) }
        }
        guard events.contains(where: { !$0.info.isEmpty }), !has(.batchInfoIgnored) else { return [:] }
        return ["batch": .array(events.map { $0.info.isEmpty ? [:] : counts($0.channels[0], info: $0.info) })]
    }

    // MARK: Channels

    private func counts(_ channel: String, info: Set<String>) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        if info.contains("subscription_count") {
            fields["subscription_count"] = .integer(Int64(server.subscriptionCount(channel)))
        }
        if info.contains("user_count"), channel.hasPrefix("presence-") {
            fields["user_count"] = .integer(Int64(server.userCount(channel)))
        }
        return .object(fields)
    }

    private func channels(prefix: String, info: Set<String>) throws(Refusal) -> JSONValue {
        if info.contains("user_count"), !prefix.hasPrefix("presence-"), !has(.userCountWithoutPresenceFilterAllowed) {
            throw Refusal(.badRequest, "user_count needs a presence- prefix filter", "user_count_needs_presence_filter")
        }
        let names = server.state.withLockedValue { Array($0.subscribers.keys) }.filter { $0.hasPrefix(prefix) }
        var channels: [String: JSONValue] = [:]
        for name in names { channels[name] = counts(name, info: info) }
        return ["channels": .object(channels)]
    }

    private func channel(_ name: String, info: Set<String>) -> JSONValue {
        var fields = counts(name, info: info).objectValue ?? [:]
        fields["occupied"] = .bool(server.subscriptionCount(name) > 0)
        return .object(fields)
    }
}
