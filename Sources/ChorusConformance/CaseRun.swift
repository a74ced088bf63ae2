import ChorusClient
import ChorusProtocol
import Foundation
import NIOCore
import NIOHTTP1

/// Runs one case's steps against a target, keeping its connections, HTTP clients and variables.
final class CaseRun {
    private let target: ConformanceTarget
    private let group: any EventLoopGroup
    private let caseDirectory: URL
    private var substitution: Substitution
    private var connections: [String: CaseConnection] = [:]
    private var httpClients: [String: PusherHTTPClient] = [:]

    init(target: ConformanceTarget, group: any EventLoopGroup, caseDirectory: URL, variables: [String: JSONValue]) {
        self.target = target
        self.group = group
        self.caseDirectory = caseDirectory
        self.substitution = Substitution(
            variables: variables,
            authenticator: ChannelAuthenticator(key: target.app.key, secret: target.app.secret)
        )
    }

    /// Runs the steps in order; throws the first failure, prefixed with the step that failed.
    func run(_ steps: [ConformanceStep]) async throws(StepFailure) {
        for (index, step) in steps.enumerated() {
            do {
                try await perform(step)
            } catch {
                throw StepFailure("step \(index + 1) (\(step.label)): \(error.message)")
            }
        }
    }

    /// Closes every connection and HTTP client the case opened.
    func finish() async {
        for connection in connections.values { await connection.session.close(timeout: .milliseconds(500)) }
        for client in httpClients.values { await client.shutdown() }
        connections = [:]
        httpClients = [:]
    }

    private func perform(_ step: ConformanceStep) async throws(StepFailure) {
        switch step {
        case .wsOpen(let open): try await wsOpen(open)
        case .wsSend(let name, let frame, let repeatCount):
            let connection = try connection(name)
            let text = try frameText(frame)
            for _ in 0..<(try count(repeatCount)) {
                try await attempt("sending") { try await connection.session.send(text: text) }
            }
        case .wsSubscribe(let subscribe): try await wsSubscribe(subscribe)
        case .wsExpect(let name, let pattern, let timeoutMS, let ignore):
            try await expect(
                try connection(name),
                pattern: try substitution.apply(pattern),
                timeoutMS: timeoutMS,
                ignore: ignore
            )
        case .wsExpectNone(let name, let pattern, let withinMS):
            try await expectNone(
                try connection(name),
                pattern: try pattern.map { value throws(StepFailure) in try substitution.apply(value) },
                withinMS: withinMS
            )
        case .wsExpectClose(let name, let code, let timeoutMS, let ignoreMessages):
            try await expectClose(
                try connection(name),
                code: code,
                timeoutMS: timeoutMS,
                ignoreMessages: ignoreMessages
            )
        case .wsPing(let name, let payload, let timeoutMS):
            try await ping(try connection(name), payload: payload, timeoutMS: timeoutMS)
        case .wsSignin(let name, let userData, let auth, let awaitSuccess):
            try await signin(try connection(name), userData: userData, auth: auth, awaitSuccess: awaitSuccess)
        case .wsClose(let name):
            try await connection(name).session.close(timeout: .seconds(1))
            connections[name] = nil
        case .http(let http): try await self.http(http)
        case .sleep(let ms): try? await Task.sleep(for: .milliseconds(ms))
        case .verifyVectors(let file):
            try SignatureVectorCheck.verify(fileAt: caseDirectory.appendingPathComponent(file))
        case .verifyDeltaChain(let channel, let events, let algorithm, let conflationKeys):
            try await DeltaChainCheck.verify(
                target: target,
                channel: try substitution.applyText(channel),
                events: events,
                algorithm: algorithm,
                conflationKeys: conflationKeys
            )
        }
    }

    // MARK: WebSocket

    private func wsOpen(_ open: ConformanceStep.WSOpen) async throws(StepFailure) {
        guard let app = target.app(named: open.app) else { throw StepFailure("unknown app '\(open.app)'") }
        let path =
            try open.path.map { path throws(StepFailure) in try substitution.applyText(path) }
            ?? WebSocketConnector.pusherPath(key: app.key)
        let offer = open.extensions.map { $0 == "deflate" ? WebSocketConnector.deflateOffer : $0 }
        var connector = WebSocketConnector(
            host: target.webSocketHost,
            port: target.webSocketPort,
            timeout: .seconds(5),
            extensionOffer: offer
        )
        connector.origin = try open.origin.map { origin throws(StepFailure) in try substitution.applyText(origin) }
        let session = try await attempt("opening WebSocket \(path)") {
            try await WebSocketSession.open(connector: connector, path: path, on: group, deliverPongs: true)
        }
        if let expected = open.expectExtensions {
            let answer = session.acceptedExtensions.map(JSONValue.string)
            if case .failure(let mismatch) = JSONPattern(try substitution.apply(expected)).match(answer) {
                throw StepFailure("Sec-WebSocket-Extensions answer: \(mismatch)")
            }
        }
        let connection = CaseConnection(session: session, app: app)
        connections[open.connection] = connection
        guard open.awaitEstablished else { return }
        let established: JSONValue = [
            "event": .string(PusherEventName.connectionEstablished),
            "data": ["$json": ["socket_id": "$capture:socket_id", "activity_timeout": "$type:number"]],
        ]
        let captures = try await expect(connection, pattern: established, timeoutMS: 5000, ignore: [], keep: false)
        guard let socketID = captures["socket_id"]?.stringValue else { throw StepFailure("socket_id is not a string") }
        connection.socketID = socketID
        substitution.variables["\(open.connection).socket_id"] = .string(socketID)
    }

    private func wsSubscribe(_ subscribe: ConformanceStep.WSSubscribe) async throws(StepFailure) {
        let connection = try connection(subscribe.connection)
        let channel = try substitution.applyText(subscribe.channel)
        let channelData = try subscribe.channelData.map { value throws(StepFailure) in
            let applied = try substitution.apply(value)
            return applied.stringValue ?? applied.jsonText
        }
        var data = try substitution.apply(.object(subscribe.extra)).objectValue ?? [:]
        data["channel"] = .string(channel)
        if let channelData { data["channel_data"] = .string(channelData) }
        let signedChannel =
            try subscribe.authChannel.map { name throws(StepFailure) in try substitution.applyText(name) } ?? channel
        if let auth = try auth(
            mode: subscribe.auth,
            connection: connection,
            channel: signedChannel,
            channelData: channelData
        ) {
            data["auth"] = .string(auth)
        }
        let message = PusherMessage(event: PusherEventName.subscribe, data: .object(data))
        try await attempt("sending") { try await connection.session.send(text: message.jsonText) }
        guard subscribe.await else { return }
        let succeeded: JSONValue = [
            "event": .string(PusherEventName.subscriptionSucceeded), "channel": .string(channel),
        ]
        try await expect(connection, pattern: succeeded, timeoutMS: 3000, ignore: [])
    }

    private func ping(_ connection: CaseConnection, payload: String, timeoutMS: Int) async throws(StepFailure) {
        try await attempt("sending a ping") { try await connection.session.ping(payload: payload) }
        let deadline = ContinuousClock.now + .milliseconds(timeoutMS)
        var kept: [WebSocketInbound] = []
        defer { connection.putBack(kept) }
        while true {
            let item = try await next(connection, until: deadline, expecting: .string("a pong frame"), pongs: true)
            switch item {
            case .pong(let bytes):
                guard bytes == Array(payload.utf8) else {
                    throw StepFailure(
                        "expected a pong carrying \(payload), got one carrying \(String(decoding: bytes, as: UTF8.self))"
                    )
                }
                return
            case .text, .binary: kept.append(item)
            case .close, .disconnected:
                throw StepFailure("expected a pong frame carrying \(payload), got the connection closing (\(item))")
            }
        }
    }

    private func signin(
        _ connection: CaseConnection,
        userData: JSONValue,
        auth mode: String,
        awaitSuccess: Bool
    ) async throws(StepFailure) {
        let applied = try substitution.apply(userData)
        let text = applied.stringValue ?? applied.jsonText
        guard let socketID = connection.socketID else { throw StepFailure("the connection has no socket id to sign") }
        let app = connection.app
        let secret: String
        switch mode {
        case "valid": secret = app.secret
        case "bad_signature": secret = app.secret + "-wrong"
        default: throw StepFailure("unknown sign-in auth mode '\(mode)'")
        }
        let auth = ChannelAuthenticator(key: app.key, secret: secret).userAuth(socketID: socketID, userData: text)
        let message = PusherMessage(
            event: PusherEventName.signin,
            data: ["auth": .string(auth), "user_data": .string(text)]
        )
        try await attempt("sending") { try await connection.session.send(text: message.jsonText) }
        guard awaitSuccess else { return }
        let succeeded: JSONValue = [
            "event": .string(PusherEventName.signinSuccess),
            "data": ["$json_or_object": ["user_data": .string(text)]],
        ]
        try await expect(connection, pattern: succeeded, timeoutMS: 3000, ignore: [])
    }

    private func auth(
        mode: String,
        connection: CaseConnection,
        channel: String,
        channelData: String?
    ) throws(StepFailure) -> String? {
        guard mode != "none" else { return nil }
        guard let socketID = connection.socketID else { throw StepFailure("the connection has no socket id to sign") }
        let app = connection.app
        switch mode {
        case "valid":
            return ChannelAuthenticator(key: app.key, secret: app.secret)
                .channelAuth(socketID: socketID, channel: channel, channelData: channelData)
        case "bad_signature":
            return ChannelAuthenticator(key: app.key, secret: app.secret + "-wrong")
                .channelAuth(socketID: socketID, channel: channel, channelData: channelData)
        case "wrong_key":
            return ChannelAuthenticator(key: app.key + "-wrong", secret: app.secret)
                .channelAuth(socketID: socketID, channel: channel, channelData: channelData)
        case "other_socket":
            return ChannelAuthenticator(key: app.key, secret: app.secret)
                .channelAuth(socketID: "1234.5678", channel: channel, channelData: channelData)
        case "without_channel":
            let message = channelData.map { "\(socketID):\($0)" } ?? socketID
            return "\(app.key):\(HMACSigner(secret: app.secret).signature(for: message))"
        default:
            throw StepFailure("unknown auth mode '\(mode)'")
        }
    }

    @discardableResult
    private func expect(
        _ connection: CaseConnection,
        pattern: JSONValue,
        timeoutMS: Int,
        ignore: [String],
        keep: Bool = true
    ) async throws(StepFailure) -> [String: JSONValue] {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMS)
        while true {
            let item = try await next(connection, until: deadline, expecting: pattern)
            let message = try json(item, expecting: pattern)
            if let event = message["event"]?.stringValue, ignore.contains(event) { continue }
            switch JSONPattern(pattern).match(message) {
            case .success(let captures):
                if keep { substitution.variables.merge(captures) { _, new in new } }
                return captures
            case .failure(let mismatch):
                throw StepFailure("\(mismatch) (message: \(message.jsonText))")
            }
        }
    }

    private func expectNone(_ connection: CaseConnection, pattern: JSONValue?, withinMS: Int) async throws(StepFailure)
    {
        let deadline = ContinuousClock.now + .milliseconds(withinMS)
        var unrelated: [WebSocketInbound] = []
        defer { connection.putBack(unrelated) }
        while ContinuousClock.now < deadline {
            let item: WebSocketInbound
            do {
                item = try await connection.next(timeout: Self.timeAmount(until: deadline))
            } catch {
                return
            }
            guard case .text(let text) = item else {
                unrelated.append(item)
                if item == .disconnected { return }
                continue
            }
            guard let pattern else { throw StepFailure("expected no message within \(withinMS) ms, got \(text)") }
            if let message = try? JSONValue(parsing: text), case .success = JSONPattern(pattern).match(message) {
                throw StepFailure("expected no message like \(pattern.jsonText) within \(withinMS) ms, got \(text)")
            }
            unrelated.append(item)
        }
    }

    private func expectClose(
        _ connection: CaseConnection,
        code: Int?,
        timeoutMS: Int,
        ignoreMessages: Bool
    ) async throws(StepFailure) {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMS)
        let expected = "a close frame" + (code.map { " with code \($0)" } ?? "")
        var item = try await next(connection, until: deadline, expecting: .string(expected))
        while ignoreMessages, case .text = item {
            item = try await next(connection, until: deadline, expecting: .string(expected))
        }
        switch item {
        case .close(let got, let reason):
            if let code, Int(got ?? 0) != code {
                throw StepFailure("expected close code \(code), got \(got.map(String.init) ?? "no code") (\(reason))")
            }
        case .text(let text): throw StepFailure("expected \(expected), got message \(text)")
        case .binary: throw StepFailure("expected \(expected), got a binary frame")
        case .disconnected: throw StepFailure("expected \(expected), got the connection dropped without one")
        case .pong: throw StepFailure("expected \(expected), got a pong frame")
        }
    }

    /// The next thing received before `deadline`; pong frames are passed over unless `pongs`.
    private func next(
        _ connection: CaseConnection,
        until deadline: ContinuousClock.Instant,
        expecting pattern: JSONValue,
        pongs: Bool = false
    ) async throws(StepFailure) -> WebSocketInbound {
        while true {
            let item: WebSocketInbound
            do {
                item = try await connection.next(timeout: Self.timeAmount(until: deadline))
            } catch {
                throw StepFailure("expected \(pattern.jsonText), got nothing in time")
            }
            if case .pong = item, !pongs { continue }
            return item
        }
    }

    private func json(_ item: WebSocketInbound, expecting pattern: JSONValue) throws(StepFailure) -> JSONValue {
        switch item {
        case .text(let text):
            guard let value = try? JSONValue(parsing: text) else {
                throw StepFailure("expected JSON, got text \(text)")
            }
            return value
        case .binary: throw StepFailure("expected \(pattern.jsonText), got a binary frame")
        case .close(let code, let reason):
            throw StepFailure(
                "expected \(pattern.jsonText), got close \(code.map(String.init) ?? "without code") \(reason)"
            )
        case .disconnected: throw StepFailure("expected \(pattern.jsonText), got the connection closed")
        case .pong: throw StepFailure("expected \(pattern.jsonText), got a pong frame")
        }
    }

    // MARK: HTTP

    private func http(_ step: ConformanceStep.HTTPStep) async throws(StepFailure) {
        guard let app = target.app(named: step.app) else { throw StepFailure("unknown app '\(step.app)'") }
        let client = httpClient(for: step.app, app: app)
        let path = try substitution.applyText(step.path)
        var query: [(String, String)] = []
        for (key, value) in step.query { query.append((key, try substitution.applyText(value))) }
        let body: [UInt8] =
            try step.body.map { value throws(StepFailure) in
                let applied = try substitution.apply(value)
                return Array((applied.stringValue ?? applied.jsonText).utf8)
            } ?? []
        let signing: RequestSigning
        switch step.sign {
        case "valid": signing = .valid
        case "none": signing = .none
        case "bad_signature": signing = .badSignature
        case "bad_body_md5": signing = .badBodyMD5
        case "expired": signing = .timestamp(Int(Date().timeIntervalSince1970) - 3600)
        case "bad_auth_version": signing = .authVersion("2.0")
        case "empty_body_md5": signing = .emptyBodyMD5
        default: throw StepFailure("unknown sign mode '\(step.sign)'")
        }
        let method = HTTPMethod(rawValue: step.method.uppercased())
        // A read may lag behind a WebSocket on another node; reads change nothing, so retrying is safe.
        let withinMS = method == .GET ? max(step.withinMS, target.readLagMS) : step.withinMS
        let deadline = ContinuousClock.now + .milliseconds(withinMS)
        while true {
            var response: PusherHTTPResponse?
            for _ in 0..<(try count(step.repeatCount)) {
                response = try await attempt("\(step.method) \(path)") {
                    try await client.request(method: method, path: path, query: query, body: body, signing: signing)
                }
            }
            guard let response else { return }
            do {
                try check(response, against: step)
                return
            } catch {
                guard ContinuousClock.now < deadline else {
                    throw withinMS > 0 ? StepFailure("\(error.message), still after \(withinMS) ms") : error
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private func check(_ response: PusherHTTPResponse, against step: ConformanceStep.HTTPStep) throws(StepFailure) {
        let summary = "\(response.status.code) \(response.bodyText.prefix(300))"
        if let status = step.status {
            if case .failure(let mismatch) = JSONPattern(try substitution.apply(status)).match(
                .integer(Int64(response.status.code))
            ) {
                throw StepFailure("status: expected \(mismatch.expected), got \(summary)")
            }
        }
        for name in step.headers.keys.sorted() {
            let value = response.headers[name].first.map(JSONValue.string)
            if case .failure(let mismatch) = JSONPattern(try substitution.apply(step.headers[name]!)).match(value) {
                throw StepFailure(
                    "header \(name): expected \(mismatch.expected), got \(mismatch.got) (response \(summary))"
                )
            }
        }
        if let pattern = step.bodyPattern {
            guard let body = try? response.json() else { throw StepFailure("body: expected JSON, got \(summary)") }
            switch JSONPattern(try substitution.apply(pattern)).match(body) {
            case .success(let captures): substitution.variables.merge(captures) { _, new in new }
            case .failure(let mismatch): throw StepFailure("body \(mismatch) (response \(summary))")
            }
        }
    }

    private func httpClient(for name: String, app: ConformanceTarget.App) -> PusherHTTPClient {
        if let client = httpClients[name] { return client }
        let client = PusherHTTPClient(
            host: target.host,
            port: target.port,
            key: app.key,
            secret: app.secret,
            group: group,
            timeout: .seconds(5)
        )
        httpClients[name] = client
        return client
    }

    // MARK: Helpers

    private func connection(_ name: String) throws(StepFailure) -> CaseConnection {
        guard let connection = connections[name] else { throw StepFailure("no open connection '\(name)'") }
        return connection
    }

    private func frameText(_ frame: JSONValue) throws(StepFailure) -> String {
        let applied = try substitution.apply(frame)
        if case .string(let text) = applied { return text }
        return applied.jsonText
    }

    private func count(_ text: String) throws(StepFailure) -> Int {
        guard let count = Int(try substitution.applyText(text)), count >= 1 else {
            throw StepFailure("repeat must be a positive integer, got \(text)")
        }
        return count
    }

    private func attempt<T>(_ what: String, _ body: () async throws -> T) async throws(StepFailure) -> T {
        do {
            return try await body()
        } catch {
            throw StepFailure("\(what) failed: \(error)")
        }
    }

    private static func timeAmount(until deadline: ContinuousClock.Instant) -> TimeAmount {
        let remaining = ContinuousClock.now.duration(to: deadline)
        let (seconds, attoseconds) = remaining.components
        return .nanoseconds(max(1_000_000, seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
    }
}

extension ConformanceStep {
    /// The step's name and connection, for failure messages.
    var label: String {
        switch self {
        case .wsOpen(let open): "ws_open \(open.connection)"
        case .wsSend(let connection, _, _): "ws_send \(connection)"
        case .wsSubscribe(let subscribe): "ws_subscribe \(subscribe.connection) \(subscribe.channel)"
        case .wsExpect(let connection, _, _, _): "ws_expect \(connection)"
        case .wsExpectNone(let connection, _, _): "ws_expect_none \(connection)"
        case .wsExpectClose(let connection, _, _, _): "ws_expect_close \(connection)"
        case .wsSignin(let connection, _, _, _): "ws_signin \(connection)"
        case .wsPing(let connection, _, _): "ws_ping \(connection)"
        case .wsClose(let connection): "ws_close \(connection)"
        case .http(let http): "http \(http.method) \(http.path)"
        case .sleep: "sleep"
        case .verifyVectors: "verify_vectors"
        case .verifyDeltaChain: "verify_delta_chain"
        }
    }
}
