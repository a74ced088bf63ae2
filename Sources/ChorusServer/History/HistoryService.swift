import ChorusHistory
import ChorusProtocol
import Foundation
import Logging
import Synchronization

/// What the API needs to serve history: the store, the serials it hands out and the wall clock.
final class HistoryService: Sendable {
    let store: any HistoryStore
    let serials: SerialGenerator
    /// The retention sweep, stopped by ``drain()``.
    private let retention = Mutex<Task<Void, Never>?>(nil)

    init(store: any HistoryStore, node: String = HistoryService.randomNode()) {
        self.store = store
        self.serials = SerialGenerator(node: node) { Int64(Date().timeIntervalSince1970 * 1000) }
    }

    /// Starts enforcing the retention of `apps` in the background, in place of the apps it
    /// enforced before (the app store's change while the server runs).
    func startRetention(apps: [AppConfiguration], logger: Logger) {
        let task = HistoryStoreOpener.retention(of: store, apps: apps.filter(\.history.enabled), logger: logger)
        retention.withLock { previous in
            previous?.cancel()
            previous = task
        }
    }

    /// Stops the retention sweep, then closes the store (its pending writes finish). The API
    /// replies waiting for it have finished before (``PendingReplies``).
    func drain() async {
        retention.withLock { $0.take() }?.cancel()
        await store.close()
    }

    /// Signs and checks the cursors of `app` with its secret: a cursor of another app never verifies.
    func cursorSigner(_ app: AppConfiguration) -> HMACSigner {
        HMACSigner(secret: app.secret)
    }

    /// A node name for this process's serials: eight random characters of `[a-z0-9]`.
    static func randomNode() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<8).map { _ in alphabet.randomElement()! })
    }
}
