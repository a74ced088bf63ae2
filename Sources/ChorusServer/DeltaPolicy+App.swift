import ChorusCore

extension AppConfiguration {
    /// When this app's channels send deltas.
    var deltaPolicy: DeltaPolicy {
        DeltaPolicy(fullEvery: deltaFullEvery, minimumBytes: deltaMinimumBytes)
    }
}
