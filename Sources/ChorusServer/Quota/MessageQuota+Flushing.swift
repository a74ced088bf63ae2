package import ChorusStorage
import Logging
import Synchronization

extension MessageQuota {
    /// Reads today's totals of the apps `limits` lists (id → `max_messages_per_day`, the apps with
    /// a quota), then flushes every `interval` in the background until ``stop()``. Throws when the
    /// store cannot be read: the server would otherwise start every app's day from 0.
    package func start(
        limits: @escaping @Sendable () -> [String: Int],
        every interval: Duration = .seconds(1)
    ) async throws(UsageStoreError) {
        try await flush(limits: limits())
        let task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { break }
                await flushLogging(limits: limits())
            }
        }
        flushing.withLock { $0 = task }
    }

    /// Stops the background flushes, writes what is left and closes the store.
    package func stop() async {
        let task = flushing.withLock { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
        await flushLogging(limits: [:])
        await store.close()
    }

    private func flushLogging(limits: [String: Int]) async {
        do {
            try await flush(limits: limits)
        } catch {
            logger.warning(
                "daily message counts not written to the usage store; retrying",
                metadata: ["error": "\(error)"]
            )
        }
    }
}

extension AppRegistry {
    /// The `max_messages_per_day` of every served app that has one, by app id.
    var messageQuotas: [String: Int] {
        all.reduce(into: [:]) { limits, app in
            if app.maxMessagesPerDay > 0 { limits[app.id] = app.maxMessagesPerDay }
        }
    }
}
