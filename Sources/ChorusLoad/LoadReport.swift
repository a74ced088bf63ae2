/// Everything one run measured, written as `results/<scenario>/<stamp>.json` and read back as a
/// baseline.
public struct LoadReport: Sendable, Hashable, Codable {
    /// The target server (of a cluster run: the one published to).
    public struct Target: Sendable, Hashable, Codable {
        public var host: String
        public var port: Int
        public var appID: String

        public init(host: String, port: Int, appID: String) {
            self.host = host
            self.port = port
            self.appID = appID
        }

        enum CodingKeys: String, CodingKey { case host, port, appID = "app_id" }
    }

    /// One server of the run and the connections that went there.
    public struct TargetShare: Sendable, Hashable, Codable {
        public var host: String
        public var port: Int
        /// Connections opened on this server.
        public var connections: Int
        /// How many of them are checked subscribers.
        public var subscribers: Int
        /// Whether the run published here.
        public var publishes: Bool

        public init(host: String, port: Int, connections: Int, subscribers: Int, publishes: Bool) {
            self.host = host
            self.port = port
            self.connections = connections
            self.subscribers = subscribers
            self.publishes = publishes
        }

        /// `host:port`.
        public var address: String { ServerAddress(host: host, port: port).description }
    }

    /// The scenario's shape, copied so a result file stands alone.
    public struct Setup: Sendable, Hashable, Codable {
        public var subscribers: Int
        public var channels: Int
        public var channelKind: String
        public var events: Int
        public var warmup: Int
        public var batchSize: Int
        public var rate: Double
        public var publishers: Int
        public var payloadBytes: Int
        public var source: String
        public var expectLoss: Bool
        /// How long each workload published, for runs given a duration instead of an event count.
        public var durationSeconds: Double?

        public init(
            subscribers: Int,
            channels: Int,
            channelKind: String,
            events: Int,
            warmup: Int,
            batchSize: Int,
            rate: Double,
            publishers: Int,
            payloadBytes: Int,
            source: String,
            expectLoss: Bool,
            durationSeconds: Double? = nil
        ) {
            self.subscribers = subscribers
            self.channels = channels
            self.channelKind = channelKind
            self.events = events
            self.warmup = warmup
            self.batchSize = batchSize
            self.rate = rate
            self.publishers = publishers
            self.payloadBytes = payloadBytes
            self.source = source
            self.expectLoss = expectLoss
            self.durationSeconds = durationSeconds
        }

        enum CodingKeys: String, CodingKey {
            case subscribers, channels, events, warmup, rate, publishers, source
            case channelKind = "channel_kind", batchSize = "batch_size", payloadBytes = "payload_bytes"
            case expectLoss = "expect_loss", durationSeconds = "duration_seconds"
        }
    }

    public struct Connections: Sendable, Hashable, Codable {
        public var opened: Int
        public var failed: Int
        /// Wall time to open and subscribe every connection.
        public var seconds: Double
        /// Per-connection connect + upgrade + subscribe time.
        public var handshakeP50Milliseconds: Double
        public var handshakeP99Milliseconds: Double

        public init(
            opened: Int,
            failed: Int,
            seconds: Double,
            handshakeP50Milliseconds: Double,
            handshakeP99Milliseconds: Double
        ) {
            self.opened = opened
            self.failed = failed
            self.seconds = seconds
            self.handshakeP50Milliseconds = handshakeP50Milliseconds
            self.handshakeP99Milliseconds = handshakeP99Milliseconds
        }

        enum CodingKeys: String, CodingKey {
            case opened, failed, seconds
            case handshakeP50Milliseconds = "handshake_p50_ms", handshakeP99Milliseconds = "handshake_p99_ms"
        }
    }

    public struct Publishing: Sendable, Hashable, Codable {
        public var events: Int
        public var requests: Int
        public var errors: Int
        public var seconds: Double
        public var eventsPerSecond: Double
        public var requestP50Milliseconds: Double
        public var requestP99Milliseconds: Double

        public init(
            events: Int,
            requests: Int,
            errors: Int,
            seconds: Double,
            eventsPerSecond: Double,
            requestP50Milliseconds: Double,
            requestP99Milliseconds: Double
        ) {
            self.events = events
            self.requests = requests
            self.errors = errors
            self.seconds = seconds
            self.eventsPerSecond = eventsPerSecond
            self.requestP50Milliseconds = requestP50Milliseconds
            self.requestP99Milliseconds = requestP99Milliseconds
        }

        enum CodingKeys: String, CodingKey {
            case events, requests, errors, seconds
            case eventsPerSecond = "events_per_second"
            case requestP50Milliseconds = "request_p50_ms", requestP99Milliseconds = "request_p99_ms"
        }
    }

    public struct Deliveries: Sendable, Hashable, Codable {
        /// Deliveries owed over the whole run (warm-up included): events × subscribers of their channel.
        public var expected: Int64
        public var received: Int64
        public var unique: Int64
        public var lost: Int64
        public var duplicates: Int64
        public var outOfOrder: Int64
        /// Measured-phase deliveries divided by the time from first publish to last delivery.
        public var perSecond: Double
        public var seconds: Double
        public var presenceEvents: Int64

        public init(
            expected: Int64,
            received: Int64,
            unique: Int64,
            lost: Int64,
            duplicates: Int64,
            outOfOrder: Int64,
            perSecond: Double,
            seconds: Double,
            presenceEvents: Int64
        ) {
            self.expected = expected
            self.received = received
            self.unique = unique
            self.lost = lost
            self.duplicates = duplicates
            self.outOfOrder = outOfOrder
            self.perSecond = perSecond
            self.seconds = seconds
            self.presenceEvents = presenceEvents
        }

        enum CodingKeys: String, CodingKey {
            case expected, received, unique, lost, duplicates, seconds
            case outOfOrder = "out_of_order", perSecond = "per_second", presenceEvents = "presence_events"
        }
    }

    public struct Errors: Sendable, Hashable, Codable {
        public var connect: Int
        public var publish: Int
        public var protocolErrors: Int64
        public var unexpectedCloses: Int64
        /// The first few error messages, for the summary.
        public var samples: [String]

        public init(connect: Int, publish: Int, protocolErrors: Int64, unexpectedCloses: Int64, samples: [String]) {
            self.connect = connect
            self.publish = publish
            self.protocolErrors = protocolErrors
            self.unexpectedCloses = unexpectedCloses
            self.samples = samples
        }

        enum CodingKeys: String, CodingKey {
            case connect, publish, samples
            case protocolErrors = "protocol", unexpectedCloses = "unexpected_closes"
        }
    }

    public var scenario: String
    public var stamp: String
    public var target: Target
    /// Every server the run drove, in the order connections were spread over them; `nil` in
    /// reports written before runs could have several.
    public var targets: [TargetShare]?
    public var setup: Setup
    public var connections: Connections
    public var publishing: Publishing
    public var deliveries: Deliveries
    public var latency: LatencySummary
    public var errors: Errors
    public var generator: ProcessUsage?
    public var server: ProcessUsage?
    /// Delta compression figures; `nil` unless the scenario takes deltas.
    public var delta: DeltaFigures?
    /// Per-workload figures; `nil` for a single-workload scenario.
    public var workloads: [WorkloadFigures]?
    /// The measured phase over time; `nil` when the phase was shorter than one sampling interval.
    public var timeSeries: TimeSeries?
    /// What the history check found, over every checked workload; `nil` unless one has `history_check`.
    public var history: HistoryFigures?
    /// Publish latency with history against without; `nil` unless the run has HTTP workloads of both.
    public var historyLatency: HistoryLatency?
    /// The scenario's thresholds and what the run measured against each; `nil` when it has none.
    public var thresholds: [ThresholdVerdict]?
    /// How many worker processes held the subscribers (`chorus load --workers`); `nil` for a run
    /// in one process.
    public var workers: Int?
    /// Each worker process's CPU and memory over the measured phase, in worker order; `nil`
    /// without workers.
    public var workerUsage: [ProcessUsage]?
    /// Why the run failed; empty when it passed.
    public var failures: [String]

    public init(
        scenario: String,
        stamp: String,
        target: Target,
        setup: Setup,
        connections: Connections,
        publishing: Publishing,
        deliveries: Deliveries,
        latency: LatencySummary,
        errors: Errors,
        generator: ProcessUsage?,
        server: ProcessUsage?,
        delta: DeltaFigures? = nil,
        workloads: [WorkloadFigures]? = nil,
        timeSeries: TimeSeries? = nil,
        history: HistoryFigures? = nil,
        historyLatency: HistoryLatency? = nil,
        targets: [TargetShare]? = nil,
        workers: Int? = nil,
        workerUsage: [ProcessUsage]? = nil,
        failures: [String]
    ) {
        self.scenario = scenario
        self.stamp = stamp
        self.target = target
        self.targets = targets
        self.setup = setup
        self.connections = connections
        self.publishing = publishing
        self.deliveries = deliveries
        self.latency = latency
        self.errors = errors
        self.generator = generator
        self.server = server
        self.delta = delta
        self.workloads = workloads
        self.timeSeries = timeSeries
        self.history = history
        self.historyLatency = historyLatency
        self.workers = workers
        self.workerUsage = workerUsage
        self.failures = failures
    }

    public var passed: Bool { failures.isEmpty }

    enum CodingKeys: String, CodingKey {
        case scenario, stamp, target, setup, connections, deliveries, errors, generator, server, delta, workloads
        case failures, history, targets, thresholds, workers
        case publishing = "publish", latency = "latency_ms", timeSeries = "time_series"
        case historyLatency = "history_latency", workerUsage = "worker_usage"
    }
}
