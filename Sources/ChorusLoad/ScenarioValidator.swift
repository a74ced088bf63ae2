import ChorusProtocol

/// Checks a parsed ``Scenario`` for values no run could honour, naming the field at fault.
struct ScenarioValidator {
    /// The most members a presence channel holds on Pusher-compatible servers.
    static let presenceMemberLimit = 100
    /// Pusher's per-connection client event limit.
    static let clientEventRateLimit = 10.0
    /// Room in `data` for `{"seq":…,"t":…,"pad":""}` with 19-digit numbers.
    static let minimumPayloadBytes = 64

    let source: String
    /// Generator processes (`--workers`): each holds up to ``Scenario/maximumSubscribers`` connections.
    var processes = 1

    /// The most subscribers (and churning members) the run's processes hold (a bad `--workers`
    /// count is refused by ``WorkerLaunch``).
    var maximumSubscribers: Int { Scenario.maximumSubscribers * max(1, processes) }

    func validate(_ scenario: Scenario) throws(ScenarioError) {
        try check(
            isName(scenario.name),
            "name",
            "must be letters, digits, '-' or '_' (it becomes part of channel names)"
        )
        switch scenario.length {
        case .events(let events):
            try range("events", events, 1...100_000_000)
        case .seconds(let seconds):
            try check(
                seconds > 0 && seconds <= 7 * 86_400,
                "duration_seconds",
                "must be a positive number of seconds, at most a week"
            )
        }
        try range("warmup", scenario.warmup, 0...100_000_000)
        try range("connect_concurrency", scenario.connectConcurrency, 1...10_000)
        try check(scenario.connectTimeout > 0, "connect_timeout", "must be a positive number of seconds")
        try check(scenario.drainTimeout > 0, "drain_timeout", "must be a positive number of seconds")
        try check(
            scenario.sampleIntervalSeconds >= 0.1 && scenario.sampleIntervalSeconds.isFinite,
            "sample_interval_seconds",
            "must be at least 0.1 seconds"
        )
        for (field, limit) in [
            ("max_rss_growth_mib_per_hour", scenario.maxRSSGrowthMiBPerHour),
            ("max_fd_growth_per_hour", scenario.maxDescriptorGrowthPerHour),
        ] {
            if let limit { try check(limit >= 0 && limit.isFinite, field, "must be a number ≥ 0") }
        }
        if let workers = scenario.workers { try range("workers", workers, 1...WorkerLaunch.maximumCount) }
        if let publishTarget = scenario.publishTarget {
            let count = scenario.targets?.count
            try check(
                publishTarget >= 0 && publishTarget < (count ?? Int.max),
                "publish_target",
                count.map { "must be an index into targets, from 0 to \($0 - 1), got \(publishTarget)" }
                    ?? "must be an index (from 0) into the targets, got \(publishTarget)"
            )
        }
        let listed = scenario.workloads.count > 1 || scenario.workloads.first?.name != nil
        var names: Set<String> = []
        for (index, workload) in scenario.workloads.enumerated() {
            let prefix = listed ? "workloads[\(index)]." : ""
            if let name = workload.name {
                try check(isName(name), prefix + "name", "must be letters, digits, '-' or '_'")
                try check(names.insert(name).inserted, prefix + "name", "'\(name)' names another workload too")
            }
            try validate(workload, prefix: prefix, length: scenario.length)
            if listed {
                // Delta verification keys messages by channel index, which workloads share.
                try check(workload.delta == nil, prefix + "delta", "delta runs take the single-workload form")
            }
        }
        // Delta reference subscribers (one per channel) come on top, as in every delta run.
        let members = scenario.workloads.reduce(0) { $0 + $1.subscribers + ($1.presenceChurn?.connections ?? 0) }
        try check(
            members <= maximumSubscribers,
            listed ? "workloads" : "presence_churn.connections",
            "subscribers plus churning connections must not exceed \(maximumSubscribers), got \(members)"
        )
    }

    private func validate(_ workload: Workload, prefix: String, length: Scenario.Length) throws(ScenarioError) {
        func field(_ name: String) -> String { prefix + name }
        try range(field("subscribers"), workload.subscribers, 1...maximumSubscribers)
        try range(field("channels"), workload.channels, 1...workload.subscribers)
        try range(field("batch_size"), workload.batchSize, 1...100)
        try check(
            workload.rate >= 0 && workload.rate.isFinite,
            field("rate"),
            "must be 0 (as fast as accepted) or events per second"
        )
        if case .seconds = length, workload.clientEvents == nil {
            try check(
                workload.rate > 0,
                field("rate"),
                "a duration_seconds run needs a rate above 0 (events per second)"
            )
        }
        try range(field("publishers"), workload.publishers, 1...workload.channels)
        for size in workload.payloadBytes {
            try range(field("payload_bytes"), size, Self.minimumPayloadBytes...1_000_000)
        }
        try check(!workload.eventName.isEmpty, field("event_name"), "must not be empty")
        if workload.channelKind == .presence {
            let perChannel = (workload.totalConnections + workload.channels - 1) / workload.channels
            try check(
                perChannel <= Self.presenceMemberLimit,
                field("channels"),
                "presence channels hold at most \(Self.presenceMemberLimit) members: use at least \((workload.totalConnections + 99) / 100) channels"
            )
        }
        if processes > 1 {
            // Worker processes only receive: the sender of a client event and the delta reference
            // copies would have to be in the process that checks against them.
            try check(
                workload.clientEvents == nil,
                field("client_events"),
                "client events are not sent with --workers: run the scenario without it"
            )
            try check(workload.delta == nil, field("delta"), "delta runs are not split over --workers: run without it")
        }
        if workload.delta != nil {
            try check(workload.channelKind != .presence, field("delta"), "presence channels never take deltas")
            try check(
                workload.clientEvents == nil,
                field("delta"),
                "needs events over the HTTP API (a client event's sender gets no copy to rebuild the next delta from)"
            )
        }
        try check(
            workload.channelPrefix.isEmpty || ChannelName.isValid(workload.channelPrefix),
            field("channel_prefix"),
            "must be channel name characters (letters, digits, _-=@,.;)"
        )
        if workload.historyCheck {
            try check(
                workload.clientEvents == nil,
                field("history_check"),
                "needs events over the HTTP API (only acknowledged publishes can be checked)"
            )
        }
        if let churn = workload.presenceChurn {
            try check(workload.channelKind == .presence, field("presence_churn"), "needs channel_kind: presence")
            try range(field("presence_churn.connections"), churn.connections, 1...maximumSubscribers)
            try range(field("presence_churn.interval_ms"), churn.intervalMilliseconds, 10...3_600_000)
        }
        if let clientEvents = workload.clientEvents {
            try check(
                workload.channelKind != .public,
                field("client_events"),
                "needs channel_kind: private or presence"
            )
            try check(
                clientEvents.ratePerSender > 0 && clientEvents.ratePerSender <= Self.clientEventRateLimit,
                field("client_events.rate_per_sender"),
                "must be above 0 and at most \(Int(Self.clientEventRateLimit)) (the server's limit)"
            )
            try check(
                workload.eventName.hasPrefix("client-"),
                field("event_name"),
                "client events must be named 'client-…'"
            )
            try check(
                workload.subscribers >= 2 * workload.channels,
                field("channels"),
                "client events need at least two subscribers per channel (a sender and a receiver)"
            )
        }
    }

    private func isName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(Self.isNameByte)
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
