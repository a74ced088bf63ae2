import Benchmark
import ChorusHistory
import ChorusStorage
import Foundation
import Logging

/// Sustained retained messages per second through ``HistoryStore/append(_:)``: 64 concurrent
/// callers, each appending batches of 1…10 messages (about 100 bytes of data) to 16 channels of
/// one app, as the HTTP publish path does under load. One iteration retains 20,000 messages, so
/// messages/s = 20,000 × iterations/s. The group commit is what is measured: each caller waits for
/// its commit.
///
/// Opt-in (`CHORUS_HISTORY_BENCHMARK=1`): it measures storage throughput, not allocations, so it
/// stays out of the malloc gate. PostgreSQL runs when `CHORUS_TEST_POSTGRES_URL` is set
/// (`scripts/lib/start-postgres.sh`). Figures: `results/history/storage-throughput.md`.
func historyStoreBenchmarks() {
    let environment = ProcessInfo.processInfo.environment
    guard environment["CHORUS_HISTORY_BENCHMARK"] == "1" else { return }
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput],
        warmupIterations: 1,
        maxDuration: .seconds(20),
        maxIterations: 10,
        thresholds: [:]
    )
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-bench-\(UUID().uuidString)")
    historyAppend("history.append.sqlite", configuration: configuration) {
        try SQLiteHistoryStore(path: directory.appendingPathComponent("chorus.sqlite").path)
    }
    historyAppend("history.append.sqlite-fsync", configuration: configuration) {
        try SQLiteHistoryStore(path: directory.appendingPathComponent("fsync.sqlite").path, durability: .powerLoss)
    }
    if let url = environment["CHORUS_TEST_POSTGRES_URL"] {
        historyAppend("history.append.postgres", configuration: configuration) {
            try await PostgresHistoryStore(url: url, logger: Logger(label: "chorus.benchmark"))
        }
    }
}

func historyAppend(
    _ name: String,
    configuration: Benchmark.Configuration,
    open: @escaping @Sendable () async throws -> any HistoryStore
) {
    let app = "bench-\(UUID().uuidString)"
    var store: (any HistoryStore)?
    var round = 0
    Benchmark(name, configuration: configuration) { benchmark in
        guard let store else { return }
        round += 1
        let prefix = "r\(round)"
        benchmark.startMeasurement()
        await HistoryLoad.append(to: store, app: app, prefix: prefix)
        benchmark.stopMeasurement()
    } setup: {
        store = try await open()
    } teardown: {
        await store?.close()
        store = nil
    }
}

/// The load of one iteration: 64 callers, 20,000 messages in batches of 1…10.
enum HistoryLoad {
    static let callers = 64
    static let messagesPerIteration = 20_000
    static let payload = String(repeating: "x", count: 100)

    static func append(to store: any HistoryStore, app: String, prefix: String) async {
        let perCaller = messagesPerIteration / callers
        await withTaskGroup(of: Void.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var sent = 0
                    var batchNumber = 0
                    while sent < perCaller {
                        let size = min((caller + batchNumber) % 10 + 1, perCaller - sent)
                        let batch = (0..<size).map { index in
                            RetainedPublish(
                                channel: ChannelRef(appID: app, channel: "hist-\((caller + index) % 16)"),
                                messageSerial: "\(prefix)-\(caller)-\(sent + index)",
                                name: "bench",
                                data: payload,
                                publishedAtMs: 1_767_225_600_000
                            )
                        }
                        do {
                            _ = try await store.append(batch)
                        } catch {
                            fatalError("append failed: \(error)")
                        }
                        sent += size
                        batchNumber += 1
                    }
                }
            }
        }
    }
}
