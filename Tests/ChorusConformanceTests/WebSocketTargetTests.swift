import ChorusConformance
import Foundation
import Testing

/// HTTP requests to one server, WebSockets to another (`chorus conform --ws-target`): a WebSocket
/// target equal to the HTTP one changes nothing, the suite passes with its WebSockets on another
/// name of the same server, and split targets retry HTTP reads (never writes) up to the cluster's
/// 5 s query lag.
@Suite(.serialized) struct WebSocketTargetTests {
    /// A subset: the whole suite already runs against the honest fake in ``DeviationDetectionTests``
    /// and, split over two cluster nodes, in `scripts/cluster-smoke.sh`.
    @Test func webSocketTargetEqualToTheHTTPTargetPassesAsBefore() async throws {
        let results = try await DeviationDetectionTests.results(
            faults: [],
            tags: ["handshake", "channels", "presence", "client-events"],
            webSocketHost: "127.0.0.1"
        )
        for result in results where result.outcome == .failed {
            Issue.record("\(result.name) failed with an explicit WebSocket target: \(result.detail ?? "")")
        }
        #expect(results.filter { $0.outcome == .passed }.count >= 20)
    }

    @Test func webSocketsOnAnotherNameOfTheServerPass() async throws {
        // The cases that read counts and lists over HTTP after subscribing over WebSockets.
        let results = try await DeviationDetectionTests.results(
            faults: [],
            tags: ["channels", "presence", "subscription-count", "watchlist"],
            webSocketHost: "localhost"
        )
        for result in results where result.outcome == .failed {
            Issue.record("\(result.name) failed with WebSockets on localhost: \(result.detail ?? "")")
        }
        #expect(results.filter { $0.outcome == .passed }.count >= 15)
    }

    @Test func splitTargetsRetryReadsForTheQueryLagButNeverWrites() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ws-target-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Expectations no server meets: how long and how each fails is what is checked.
        try """
        source: a test of the runner
        cases:
          - name: read
            tags: [http]
            steps:
              - http: {method: GET, path: '/apps/${app_id}/channels', expect: {status: 599}}
          - name: write
            tags: [http]
            steps:
              - http: {method: POST, path: '/apps/${app_id}/events', body: {name: e, channels: [c], data: '{}'}, expect: {status: 599}}
        """.write(to: directory.appendingPathComponent("lag.yaml"), atomically: true, encoding: .utf8)
        let library = try CaseLibrary(directory: directory)

        let split = try await DeviationDetectionTests.results(faults: [], webSocketHost: "localhost", library: library)
        #expect(split.map(\.outcome) == [.failed, .failed])
        #expect(split[0].detail?.hasSuffix("still after \(ConformanceTarget.clusterQueryLagMS) ms") == true)
        #expect(split[0].durationSeconds >= 5)
        #expect(split[1].detail?.contains("still after") == false)

        let single = try await DeviationDetectionTests.results(faults: [], library: library)
        #expect(single.map(\.outcome) == [.failed, .failed])
        #expect(single.allSatisfy { $0.detail?.contains("still after") == false })
    }
}
