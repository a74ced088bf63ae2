package import NIOCore

/// What publishing needs to know about the app an event belongs to: the server's per-app settings
/// reduced to the few that shape its frames.
package struct PublishSettings: Sendable, Hashable {
    package var appID: String
    /// Send events without their tags (subscribers' filters still see them).
    package var stripsTags: Bool
    /// When the app's channels send deltas.
    package var deltaPolicy: DeltaPolicy
    /// How long a cache channel keeps its last event for late subscribers.
    package var cacheTTL: TimeAmount

    package init(
        appID: String,
        stripsTags: Bool = false,
        deltaPolicy: DeltaPolicy = DeltaPolicy(),
        cacheTTL: TimeAmount = .seconds(1800)
    ) {
        self.appID = appID
        self.stripsTags = stripsTags
        self.deltaPolicy = deltaPolicy
        self.cacheTTL = cacheTTL
    }
}
