/// Why a load run could not be carried out (as opposed to a run that measured a failure).
public enum LoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing usable answered at the address.
    case unreachable(host: String, port: Int, reason: String)
    case subscriptionRejected(channel: String, reason: String)
    case closedBeforeSubscribing(channel: String)
    /// Opening the connections took longer than the scenario allows.
    case connectTimedOut(opened: Int, wanted: Int, seconds: Double)
    /// More connections failed than a run can be judged with.
    case tooManyConnectFailures(failed: Int, firstError: String)
    /// The first publish request was refused, so nothing would be measured.
    case publishRejected(reason: String)
    /// `--workers` outside what a run can start.
    case badWorkerCount(Int, maximum: Int)
    /// More workers than connections: some would hold none.
    case moreWorkersThanConnections(workers: Int, connections: Int)
    /// A worker process of a `--workers` run failed before its subscribers were ready.
    case workerFailed(index: Int, reason: String)

    public var description: String {
        switch self {
        case .unreachable(let host, let port, let reason):
            "cannot reach a Pusher server at \(host):\(port): \(reason)"
        case .subscriptionRejected(let channel, let reason):
            "subscription to \(channel) rejected: \(reason)"
        case .closedBeforeSubscribing(let channel):
            "the server closed the connection before the subscription to \(channel) succeeded"
        case .connectTimedOut(let opened, let wanted, let seconds):
            "only \(opened) of \(wanted) connections subscribed within \(seconds) s (connect_timeout)"
        case .tooManyConnectFailures(let failed, let firstError):
            "\(failed) connections failed; first error: \(firstError)"
        case .publishRejected(let reason):
            "the server refused to publish: \(reason)"
        case .badWorkerCount(let count, let maximum):
            "--workers must be between 1 and \(maximum), got \(count)"
        case .moreWorkersThanConnections(let workers, let connections):
            "--workers \(workers) is more than the scenario's \(connections) connections: give at most \(connections)"
        case .workerFailed(let index, let reason):
            "worker \(index) could not run: \(reason)"
        }
    }
}
