import Synchronization

/// The API replies still waiting for a store (``HTTPReply/later(_:)``): a graceful shutdown waits
/// for none to be left before it closes the stores.
final class PendingReplies: Sendable {
    private let count = Atomic<Int>(0)

    /// `work`, counted from now until it has finished.
    func tracking(_ work: @escaping @Sendable () async -> HTTPResponse) -> @Sendable () async -> HTTPResponse {
        count.add(1, ordering: .relaxed)
        return {
            let response = await work()
            self.count.subtract(1, ordering: .releasing)
            return response
        }
    }

    /// Returns once every tracked reply has finished.
    func settled() async {
        while count.load(ordering: .acquiring) > 0 {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}
