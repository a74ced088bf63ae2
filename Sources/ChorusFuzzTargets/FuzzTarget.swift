import ChorusProtocol

/// The parsers Chorus exposes to untrusted bytes, each as one entry point that takes any input
/// and must neither crash nor break an invariant (a broken invariant traps, so the fuzzer reports
/// it like a crash).
///
/// `chorus-fuzz` runs them under libFuzzer (`scripts/fuzz.sh`); the tests replay the committed
/// corpus of each (`Tests/Fuzz/<target>/`) through the same entry points.
package enum FuzzTarget: String, CaseIterable, Sendable {
    /// Raw bytes on an upgraded WebSocket: NIO's frame decoder, Chorus's RFC 6455 checks, the
    /// fragment aggregator and the session state machine, as the server stacks them.
    case websocketFrames = "websocket-frames"
    /// One text message from a client (every `pusher:*` event and client events), through the
    /// session state machine of an open connection.
    case pusherMessage = "pusher-message"
    /// A request of the HTTP API (method, path, query, body), signed or not, through the router:
    /// query parsing, signature checks, routing and body validation never answer 5xx.
    case httpRequest = "http-request"
    /// A subscription's tag filter: parsed, compiled and evaluated against tags.
    case tagFilter = "tag-filter"
    /// A Fossil delta applied to a base; a delta made from two inputs must rebuild the target.
    case fossilDelta = "fossil-delta"
    /// A VCDIFF delta applied to a base; a delta made from two inputs must rebuild the target.
    case vcdiffDelta = "vcdiff-delta"
    /// A `chorus serve` configuration file (YAML or JSON).
    case configuration
    /// A `chorus load` scenario file.
    case scenario
    /// A history `cursor` and the query around it: only cursors the server signed for that exact
    /// query decode.
    case historyCursor = "history-cursor"
    /// A push request body (device, subscription, credential, publish): limits kept, secrets
    /// never shown back.
    case pushRequest = "push-request"

    /// Runs one input.
    package func run(_ bytes: [UInt8]) {
        switch self {
        case .websocketFrames: WebSocketFramesFuzz.run(bytes)
        case .pusherMessage: PusherMessageFuzz.run(bytes)
        case .httpRequest: HTTPRequestFuzz.run(bytes)
        case .tagFilter: TagFilterFuzz.run(bytes)
        case .fossilDelta: DeltaFuzz.run(bytes, algorithm: .fossil)
        case .vcdiffDelta: DeltaFuzz.run(bytes, algorithm: .xdelta3)
        case .configuration: TextFileFuzz.configuration(bytes)
        case .scenario: TextFileFuzz.scenario(bytes)
        case .historyCursor: HistoryCursorFuzz.run(bytes)
        case .pushRequest: PushRequestFuzz.run(bytes)
        }
    }
}

/// Splits fuzz input into fields at NUL bytes, so one input can carry several.
enum FuzzFields {
    static func split(_ bytes: [UInt8], into count: Int) -> [[UInt8]] {
        var fields = bytes.split(separator: 0, maxSplits: count - 1, omittingEmptySubsequences: false)
            .map(Array.init)
        while fields.count < count { fields.append([]) }
        return fields
    }
}
