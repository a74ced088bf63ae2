public import ChorusProtocol

/// One step of a case. In a case file each step is a map with a single key naming the step.
public enum ConformanceStep: Sendable {
    /// Opens a WebSocket `as` a named connection to `app`'s key (or a raw `path`); unless
    /// `awaitEstablished` is false, waits for `pusher:connection_established` and remembers
    /// `${as.socket_id}`.
    case wsOpen(WSOpen)
    /// Sends a frame: an object is serialised, a string is sent as it is (after substitution).
    case wsSend(connection: String, frame: JSONValue, repeatCount: String)
    /// Subscribes with a computed `auth` and, unless `await` is false, expects the success event next.
    case wsSubscribe(WSSubscribe)
    /// The next message on the connection (skipping events listed in `ignore`) must match.
    case wsExpect(connection: String, pattern: JSONValue, timeoutMS: Int, ignore: [String])
    /// Sends `pusher:signin` with `user_data` and an `auth` computed from the connection's socket id
    /// (`valid` or `bad_signature`); unless `await` is false, expects `pusher:signin_success` next.
    case wsSignin(connection: String, userData: JSONValue, auth: String, awaitSuccess: Bool)
    /// No message (or none matching `pattern`) arrives within the window.
    case wsExpectNone(connection: String, pattern: JSONValue?, withinMS: Int)
    /// The server closes the connection with a close frame carrying `code`.
    case wsExpectClose(connection: String, code: Int?, timeoutMS: Int, ignoreMessages: Bool)
    /// Sends a WebSocket ping frame with `payload`; a pong with the same payload must arrive in time
    /// (messages arriving meanwhile are kept for later steps).
    case wsPing(connection: String, payload: String, timeoutMS: Int)
    /// Closes the connection with a closing handshake.
    case wsClose(connection: String)
    /// An HTTP API request and the response it must get.
    case http(HTTPStep)
    /// Waits.
    case sleep(ms: Int)
    /// Checks the runner's own signers against a file of known-answer vectors.
    case verifyVectors(file: String)
    /// Publishes `events` small changes of one message in one batch to `channel` and checks that
    /// delta subscribers (per connection and per subscription) rebuild each byte for byte.
    case verifyDeltaChain(channel: String, events: Int, algorithm: DeltaAlgorithm, conflationKeys: Int?)

    public struct WSOpen: Sendable {
        public var connection: String
        public var app: String
        public var path: String?
        public var awaitEstablished: Bool
        /// The `Sec-WebSocket-Extensions` offer of the upgrade request (`deflate`: as browsers offer it).
        public var extensions: String?
        /// A pattern the server's `Sec-WebSocket-Extensions` answer must match (`$absent`: none).
        public var expectExtensions: JSONValue?
        /// The `Origin` header of the upgrade request, as a browser on that origin sends it.
        public var origin: String?
    }

    public struct WSSubscribe: Sendable {
        public var connection: String
        public var channel: String
        /// `valid`, `none`, `bad_signature`, `wrong_key`, `other_socket` or `without_channel` (signed over
        /// the string with the channel name left out: `socket_id`, or `socket_id:channel_data` for presence).
        public var auth: String
        /// Sign for this channel instead of the one subscribed to (a token of another channel).
        public var authChannel: String?
        public var channelData: JSONValue?
        /// More members of the subscribe data (`filter`, `delta`, …).
        public var extra: [String: JSONValue]
        public var await: Bool
    }

    public struct HTTPStep: Sendable {
        public var method: String
        public var path: String
        public var query: [(String, String)]
        public var body: JSONValue?
        /// `valid`, `none`, `bad_signature`, `bad_body_md5`, `expired`, `bad_auth_version` (2.0, signed)
        /// or `empty_body_md5` (the empty body's MD5 sent on a request without a body).
        public var sign: String
        public var app: String
        /// Sends the request this many times; the expectations apply to the last response.
        public var repeatCount: String
        /// Sends the request again (every 100 ms) until the expectations hold or this many ms passed;
        /// 0: once. For state that settles (a vacated channel leaving the list).
        public var withinMS: Int
        public var status: JSONValue?
        public var headers: [String: JSONValue]
        public var bodyPattern: JSONValue?
    }

    init(parsing value: JSONValue) throws(CaseFileError) {
        guard let members = value.objectValue, members.count == 1, let (kind, raw) = members.first else {
            throw CaseFileError("a step must be a map with exactly one key naming it")
        }
        let fields = StepFields(kind: kind, value: raw)
        switch kind {
        case "ws_open":
            self = .wsOpen(
                WSOpen(
                    connection: try fields.string("as"),
                    app: try fields.optionalString("app") ?? "main",
                    path: try fields.optionalString("path"),
                    awaitEstablished: try fields.optionalBool("await_established") ?? true,
                    extensions: try fields.optionalString("extensions"),
                    expectExtensions: fields.optionalValue("expect_extensions"),
                    origin: try fields.optionalString("origin")
                )
            )
        case "ws_send":
            self = .wsSend(
                connection: try fields.string("as"),
                frame: try fields.value("frame"),
                repeatCount: fields.optionalValue("repeat")?.scalarText ?? "1"
            )
        case "ws_subscribe":
            self = .wsSubscribe(
                WSSubscribe(
                    connection: try fields.string("as"),
                    channel: try fields.string("channel"),
                    auth: try fields.optionalString("auth") ?? "valid",
                    authChannel: try fields.optionalString("auth_channel"),
                    channelData: fields.optionalValue("channel_data"),
                    extra: fields.optionalValue("extra")?.objectValue ?? [:],
                    await: try fields.optionalBool("await") ?? true
                )
            )
        case "ws_expect":
            self = .wsExpect(
                connection: try fields.string("as"),
                pattern: try fields.value("match"),
                timeoutMS: try fields.optionalInt("timeout_ms") ?? 3000,
                ignore: try fields.optionalStrings("ignore") ?? []
            )
        case "ws_expect_none":
            self = .wsExpectNone(
                connection: try fields.string("as"),
                pattern: fields.optionalValue("match"),
                withinMS: try fields.optionalInt("within_ms") ?? 500
            )
        case "ws_expect_close":
            self = .wsExpectClose(
                connection: try fields.string("as"),
                code: try fields.optionalInt("code"),
                timeoutMS: try fields.optionalInt("timeout_ms") ?? 3000,
                ignoreMessages: try fields.optionalBool("ignore_messages") ?? false
            )
        case "ws_signin":
            self = .wsSignin(
                connection: try fields.string("as"),
                userData: try fields.value("user_data"),
                auth: try fields.optionalString("auth") ?? "valid",
                awaitSuccess: try fields.optionalBool("await") ?? true
            )
        case "ws_ping":
            self = .wsPing(
                connection: try fields.string("as"),
                payload: try fields.optionalString("payload") ?? "chorus",
                timeoutMS: try fields.optionalInt("timeout_ms") ?? 3000
            )
        case "ws_close":
            self = .wsClose(connection: try fields.string("as"))
        case "http":
            let expect = fields.optionalValue("expect")
            guard expect == nil || expect?.objectValue != nil else { throw CaseFileError("http: expect must be a map") }
            let query = try fields.optionalValue("query").map { value throws(CaseFileError) in
                guard let members = value.objectValue else { throw CaseFileError("http: query must be a map") }
                return members.keys.sorted().map { ($0, members[$0]!.scalarText ?? members[$0]!.jsonText) }
            }
            self = .http(
                HTTPStep(
                    method: try fields.optionalString("method") ?? "GET",
                    path: try fields.string("path"),
                    query: query ?? [],
                    body: fields.optionalValue("body"),
                    sign: try fields.optionalString("sign") ?? "valid",
                    app: try fields.optionalString("app") ?? "main",
                    repeatCount: fields.optionalValue("repeat")?.scalarText ?? "1",
                    withinMS: try fields.optionalInt("within_ms") ?? 0,
                    status: expect?["status"],
                    headers: expect?["headers"]?.objectValue ?? [:],
                    bodyPattern: expect?["body"]
                )
            )
        case "sleep":
            self = .sleep(ms: try fields.int("ms"))
        case "verify_vectors":
            self = .verifyVectors(file: try fields.string("file"))
        case "verify_delta_chain":
            let events = try fields.optionalInt("events") ?? DeltaChainCheck.maximumEvents
            guard (2...DeltaChainCheck.maximumEvents).contains(events) else {
                throw CaseFileError(
                    "verify_delta_chain.events must be 2 to \(DeltaChainCheck.maximumEvents) (one batch)"
                )
            }
            let name = try fields.optionalString("algorithm") ?? DeltaAlgorithm.fossil.rawValue
            guard let algorithm = DeltaAlgorithm(name: name) else {
                throw CaseFileError(
                    "verify_delta_chain.algorithm must be one of \(DeltaAlgorithm.names), got '\(name)'"
                )
            }
            let keys = try fields.optionalInt("conflation_keys")
            if let keys, !(1...events / 2).contains(keys) {
                throw CaseFileError("verify_delta_chain.conflation_keys must be 1 to half the events, got \(keys)")
            }
            self = .verifyDeltaChain(
                channel: try fields.string("channel"),
                events: events,
                algorithm: algorithm,
                conflationKeys: keys
            )
        default:
            throw CaseFileError("unknown step '\(kind)'")
        }
    }
}

/// Typed access to a step's fields with errors that name the step and field.
private struct StepFields {
    var kind: String
    var value: JSONValue

    func optionalValue(_ field: String) -> JSONValue? {
        value[field]
    }

    func value(_ field: String) throws(CaseFileError) -> JSONValue {
        guard let found = value[field] else { throw CaseFileError("\(kind): missing '\(field)'") }
        return found
    }

    func optionalString(_ field: String) throws(CaseFileError) -> String? {
        guard let found = value[field] else { return nil }
        guard let text = found.scalarText else { throw CaseFileError("\(kind): '\(field)' must be a string") }
        return text
    }

    func string(_ field: String) throws(CaseFileError) -> String {
        guard let text = try optionalString(field) else { throw CaseFileError("\(kind): missing '\(field)'") }
        return text
    }

    func optionalInt(_ field: String) throws(CaseFileError) -> Int? {
        guard let found = value[field] else { return nil }
        guard let number = found.intValue else { throw CaseFileError("\(kind): '\(field)' must be an integer") }
        return number
    }

    func int(_ field: String) throws(CaseFileError) -> Int {
        guard let number = try optionalInt(field) else { throw CaseFileError("\(kind): missing '\(field)'") }
        return number
    }

    func optionalBool(_ field: String) throws(CaseFileError) -> Bool? {
        guard let found = value[field] else { return nil }
        guard let flag = found.boolValue else { throw CaseFileError("\(kind): '\(field)' must be true or false") }
        return flag
    }

    func optionalStrings(_ field: String) throws(CaseFileError) -> [String]? {
        guard let found = value[field] else { return nil }
        guard let items = found.arrayValue?.compactMap(\.stringValue), items.count == found.arrayValue?.count else {
            throw CaseFileError("\(kind): '\(field)' must be a list of strings")
        }
        return items
    }
}
