/// Checks a parsed ``Scenario`` for values no run could honour, naming the field at fault.
struct ScenarioValidator {
    /// The most members a presence channel holds on Pusher-compatible servers.
    static let presenceMemberLimit = 100
    /// Pusher's per-connection client event limit.
    static let clientEventRateLimit = 10.0
    /// Room in `data` for `{"seq":…,"t":…,"pad":""}` with 19-digit numbers.
    static let minimumPayloadBytes = 64

    let source: String

    func validate(_ scenario: Scenario) throws(ScenarioError) {
        try check(
            !scenario.name.isEmpty && scenario.name.utf8.allSatisfy(Self.isNameByte),
            "name",
            "must be letters, digits, '-' or '_' (it becomes part of channel names)"
        )
        try range("subscribers", scenario.subscribers, 1...Scenario.maximumSubscribers)
        try range("channels", scenario.channels, 1...scenario.subscribers)
        try range("events", scenario.events, 1...100_000_000)
        try range("warmup", scenario.warmup, 0...100_000_000)
        try range("batch_size", scenario.batchSize, 1...100)
        try check(
            scenario.rate >= 0 && scenario.rate.isFinite,
            "rate",
            "must be 0 (as fast as accepted) or events per second"
        )
        try range("publishers", scenario.publishers, 1...scenario.channels)
        try range("payload_bytes", scenario.payloadBytes, Self.minimumPayloadBytes...1_000_000)
        try check(!scenario.eventName.isEmpty, "event_name", "must not be empty")
        try range("connect_concurrency", scenario.connectConcurrency, 1...10_000)
        try check(scenario.connectTimeout > 0, "connect_timeout", "must be a positive number of seconds")
        try check(scenario.drainTimeout > 0, "drain_timeout", "must be a positive number of seconds")
        if scenario.channelKind == .presence {
            let perChannel = (scenario.totalConnections + scenario.channels - 1) / scenario.channels
            try check(
                perChannel <= Self.presenceMemberLimit,
                "channels",
                "presence channels hold at most \(Self.presenceMemberLimit) members: use at least \((scenario.totalConnections + 99) / 100) channels"
            )
        }
        if scenario.delta != nil {
            try check(scenario.channelKind != .presence, "delta", "presence channels never take deltas")
            try check(
                scenario.clientEvents == nil,
                "delta",
                "needs events over the HTTP API (a client event's sender gets no copy to rebuild the next delta from)"
            )
        }
        if let churn = scenario.presenceChurn {
            try check(scenario.channelKind == .presence, "presence_churn", "needs channel_kind: presence")
            try range("presence_churn.connections", churn.connections, 1...Scenario.maximumSubscribers)
            try range("presence_churn.interval_ms", churn.intervalMilliseconds, 10...3_600_000)
            try check(
                scenario.totalConnections <= Scenario.maximumSubscribers,
                "presence_churn.connections",
                "subscribers plus churning connections must not exceed \(Scenario.maximumSubscribers)"
            )
        }
        if let clientEvents = scenario.clientEvents {
            try check(scenario.channelKind != .public, "client_events", "needs channel_kind: private or presence")
            try check(
                clientEvents.ratePerSender > 0 && clientEvents.ratePerSender <= Self.clientEventRateLimit,
                "client_events.rate_per_sender",
                "must be above 0 and at most \(Int(Self.clientEventRateLimit)) (the server's limit)"
            )
            try check(scenario.eventName.hasPrefix("client-"), "event_name", "client events must be named 'client-…'")
            try check(
                scenario.subscribers >= 2 * scenario.channels,
                "channels",
                "client events need at least two subscribers per channel (a sender and a receiver)"
            )
        }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    private func range(_ field: String, _ value: Int, _ allowed: ClosedRange<Int>) throws(ScenarioError) {
        try check(
            allowed.contains(value),
            field,
            "must be between \(allowed.lowerBound) and \(allowed.upperBound), got \(value)"
        )
    }

    private func check(_ condition: Bool, _ field: String, _ reason: String) throws(ScenarioError) {
        if !condition { throw ScenarioError(source: source, field: field, reason: reason) }
    }
}
