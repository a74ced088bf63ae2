import ChorusCore
import NIOCore

extension EventPublisher {
    /// Publishes `events` of app `app` in order, as one batch: consecutive events for one channel
    /// are joined into one buffer, so they reach each subscriber in one write.
    func publish(_ events: [Event], app: AppConfiguration, excluding: SubscriberAddress? = nil) {
        publish(events, settings: app.publishSettings, excluding: excluding)
    }
}

extension AppConfiguration {
    /// What publishing needs of this app's settings.
    var publishSettings: PublishSettings {
        PublishSettings(
            appID: id,
            stripsTags: stripTags,
            deltaPolicy: DeltaPolicy(fullEvery: deltaFullEvery, minimumBytes: deltaMinimumBytes),
            cacheTTL: .seconds(Int64(cacheTTLSeconds))
        )
    }
}
