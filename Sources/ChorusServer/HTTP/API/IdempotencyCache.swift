import NIOCore
import Synchronization

/// The first answer to each `idempotency_key` of each app, kept for ``timeToLive``, so a publisher
/// that retries gets that answer again and its event is not broadcast twice.
///
/// At most ``capacity`` keys are kept per app; past that the oldest are forgotten first.
final class IdempotencyCache: Sendable {
    static let timeToLive = TimeAmount.minutes(5)
    static let capacity = 10_000

    private struct Entry {
        var response: HTTPResponse
        var expires: NIODeadline
    }

    private struct AppEntries {
        var entries: [String: Entry] = [:]
        /// Keys in insertion order, for expiry and eviction.
        var order: [String] = []
        var head = 0
    }

    private let apps = Mutex<[String: AppEntries]>([:])

    init() {}

    /// Records `response` as the answer to `key` unless the key already has a live answer, which is
    /// returned instead (and then nothing must be published).
    func claim(_ key: String, appID: String, response: HTTPResponse, now: NIODeadline) -> HTTPResponse? {
        apps.withLock { apps in
            var app = apps[appID] ?? AppEntries()
            defer { apps[appID] = app }
            Self.expire(&app, now: now)
            if let existing = app.entries[key], existing.expires > now { return existing.response }
            app.entries[key] = Entry(response: response, expires: now + Self.timeToLive)
            app.order.append(key)
            return nil
        }
    }

    /// Replaces the answer recorded for `key` with `response` (the answer once the history store
    /// committed), or forgets the key when `response` is nil (nothing was retained: a retry is new).
    func settle(_ key: String, appID: String, response: HTTPResponse?) {
        apps.withLock { apps in
            guard apps[appID]?.entries[key] != nil else { return }
            if let response {
                apps[appID]!.entries[key]!.response = response
            } else {
                apps[appID]!.entries[key] = nil
            }
        }
    }

    /// Drops expired keys and, over capacity, the oldest ones.
    private static func expire(_ app: inout AppEntries, now: NIODeadline) {
        while app.head < app.order.count {
            let key = app.order[app.head]
            let expired = app.entries[key].map { $0.expires <= now } ?? true
            guard expired || app.entries.count >= capacity else { break }
            app.entries[key] = nil
            app.head += 1
        }
        if app.head > 1024, app.head * 2 > app.order.count {
            app.order.removeFirst(app.head)
            app.head = 0
        }
    }
}
