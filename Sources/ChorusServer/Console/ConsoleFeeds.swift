import Foundation
import NIOCore
import Synchronization

/// The console's taps on the server: each app's ``ConsoleFeed``, kept only while a console views
/// the app.
///
/// The publish path calls ``record(appID:_:)`` for every event. With no viewer anywhere that costs
/// one relaxed atomic load: the entries are not even built. With viewers, entries of the apps they
/// view are built and recorded under a lock, at most ``maximumPerSecond`` per app and second.
package final class ConsoleFeeds: Sendable {
    /// Entries each viewed app keeps for its viewers.
    package static let capacity = 500
    /// Entries per app and second kept; the page shows how many more were not.
    package static let maximumPerSecond = 50

    private struct Viewed {
        var feed = ConsoleFeed(capacity: ConsoleFeeds.capacity, maximumPerSecond: ConsoleFeeds.maximumPerSecond)
        var viewers = 0
    }

    /// Viewers of every app: the publish path's only cost while it is 0.
    private let viewers = Atomic<Int>(0)
    private let viewed = Mutex<[String: Viewed]>([:])
    private let clock: any ServerClock
    private let wallClock: WallClock

    package init(clock: any ServerClock, wallClock: WallClock = .system) {
        self.clock = clock
        self.wallClock = wallClock
    }

    /// Records what `entries` builds for app `appID`, if a console views that app. `entries` runs
    /// only then.
    package func record(appID: String, _ entries: () -> [ConsoleEntry]) {
        guard viewers.load(ordering: .relaxed) > 0, viewed.withLock({ $0[appID] != nil }) else { return }
        let now = clock.now()
        let time = Int64((wallClock.now().timeIntervalSince1970 * 1000).rounded())
        let made = entries()
        viewed.withLock { viewed in
            guard viewed[appID] != nil else { return }
            for var entry in made {
                entry.time = time
                viewed[appID]?.feed.record(entry, now: now)
            }
        }
    }

    /// A viewer of app `appID` arrives; it reads from the returned cursor on.
    package func attach(appID: String) -> ConsoleFeed.Cursor {
        let cursor = viewed.withLock { viewed in
            var app = viewed[appID] ?? Viewed()
            app.viewers += 1
            viewed[appID] = app
            return app.feed.end
        }
        viewers.add(1, ordering: .relaxed)
        return cursor
    }

    /// A viewer of app `appID` left; the app's feed goes with its last viewer.
    package func detach(appID: String) {
        viewers.subtract(1, ordering: .relaxed)
        viewed.withLock { viewed in
            guard let count = viewed[appID]?.viewers else { return }
            if count <= 1 { viewed[appID] = nil } else { viewed[appID]?.viewers = count - 1 }
        }
    }

    /// What app `appID` recorded after `cursor` (nothing when no viewer is attached).
    package func read(appID: String, after cursor: ConsoleFeed.Cursor) -> ConsoleFeed.Reading {
        viewed.withLock { viewed in
            viewed[appID]?.feed.read(after: cursor) ?? ConsoleFeed.Reading(entries: [], notShown: 0, next: cursor)
        }
    }

    /// Consoles viewing any app.
    package var viewerCount: Int { viewers.load(ordering: .relaxed) }
}
