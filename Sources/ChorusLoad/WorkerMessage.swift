/// What the parent of a `--workers` run asks a worker: one JSON line each on the worker's
/// standard input, answered in order.
package enum WorkerCommand: String, Sendable, Codable {
    /// Answered by ``WorkerMessage/counts(_:)``.
    case counts
    /// Answered by ``WorkerMessage/interval(_:)``; starts the next interval.
    case interval
    /// Restarts latency recording and phase counters; answered by ``WorkerMessage/phaseStarted``.
    case startPhase = "start_phase"
    /// Answered by ``WorkerMessage/finished(_:)``, after which the worker closes its connections
    /// and exits.
    case finish
}

/// What a worker tells its parent: one JSON line each on its standard output, first ``ready(_:)``
/// (or ``failed(_:)``), then one answer per ``WorkerCommand``, in order.
package enum WorkerMessage: Sendable, Codable {
    /// Every connection of the worker's share is open and subscribed.
    case ready(ConnectFigures)
    case counts(DeliveryCounts)
    case interval(IntervalReading)
    case phaseStarted
    /// Everything the worker's event loops recorded, with the worker's own CPU and memory over the
    /// measured phase in ``LoopSnapshot/processes``.
    case finished(LoopSnapshot)
    /// The worker cannot go on (it could not connect, say); it exits next.
    case failed(String)

    /// Whether this message answers `command` (`nil`: the worker's first message).
    package func answers(_ command: WorkerCommand?) -> Bool {
        switch (self, command) {
        case (.ready, nil), (.counts, .counts), (.interval, .interval), (.phaseStarted, .startPhase),
            (.finished, .finish):
            true
        default:
            false
        }
    }
}
