import ChorusClient
import NIOCore

/// Where a workload's events come from: the signed HTTP API or subscribers' client events.
enum EventSource: Sendable {
    case http(HTTPPublisher)
    case clientEvents(ClientEventPublisher)

    /// `channels` are this process's connections by plan index, where a client-event workload's
    /// senders are (runs with workers take no client events).
    static func make(
        scenario: Scenario,
        workload index: Int,
        target: LoadTarget,
        channels: [(any Channel)?],
        progress: LoadProgress
    ) -> EventSource {
        let workload = scenario.workloads[index]
        if workload.clientEvents != nil {
            let first = ConnectionPlan.firstPlan(ofWorkload: index, in: scenario)
            let senders = (first..<(first + workload.channels)).map { channels[$0] }
            return .clientEvents(ClientEventPublisher(workload: workload, senders: senders, progress: progress))
        }
        let address = target.publishAddress
        let clients = (0..<workload.publishers).map { _ in
            PusherHTTPClient(
                host: address.host,
                port: address.port,
                key: target.key,
                secret: target.secret,
                tls: target.tls
            )
        }
        return .http(
            HTTPPublisher(
                scenario: scenario,
                workload: index,
                appID: target.appID,
                clients: clients,
                progress: progress
            )
        )
    }

    /// `http` or `client_events`, as reports name it.
    var name: String {
        switch self {
        case .http: "http"
        case .clientEvents: "client_events"
        }
    }

    /// Whether the sender of an event receives it too (client events are not echoed).
    var sendersReceive: Bool {
        switch self {
        case .http: true
        case .clientEvents: false
        }
    }

    func publish(first: Int, count: Int) async -> PublishOutcome {
        switch self {
        case .http(let publisher): await publisher.publish(first: first, count: count)
        case .clientEvents(let publisher): await publisher.publish(first: first, count: count)
        }
    }

    func shutdown() async {
        if case .http(let publisher) = self { await publisher.shutdown() }
    }
}
