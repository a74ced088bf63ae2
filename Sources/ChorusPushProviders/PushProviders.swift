import AsyncHTTPClient
public import ChorusPush
public import Logging
import Synchronization

/// The three providers on one shared HTTP client (HTTP/2 connections reused and multiplexed),
/// each with its own concurrency limit.
public final class PushProviders: Sendable {
    public let apns: APNsProvider
    public let fcm: FCMProvider
    public let webPush: WebPushProvider
    private let client: HTTPClient
    private let isShutDown = Mutex(false)

    /// Providers for `configuration`; throws when its trust roots are not PEM certificates.
    public convenience init(configuration: ProviderConfiguration, logger: Logger) throws {
        try self.init(configuration: configuration, logger: logger, clock: .system)
    }

    /// The same, reading time from `clock`.
    package init(configuration: ProviderConfiguration, logger: Logger, clock: ProviderClock) throws {
        let client = try HTTPClient.makePushClient(configuration: configuration)
        self.client = client
        apns = APNsProvider(client: client, configuration: configuration, logger: logger, clock: clock)
        fcm = FCMProvider(client: client, configuration: configuration, logger: logger, clock: clock)
        webPush = WebPushProvider(client: client, configuration: configuration, logger: logger, clock: clock)
    }

    /// The provider delivering to `platform`'s devices.
    public func provider(for platform: PushPlatform) -> any PushProvider {
        switch platform {
        case .apns: apns
        case .fcm: fcm
        case .webPush: webPush
        }
    }

    /// Closes the shared client's connections; later calls do nothing.
    public func shutdown() async {
        let wasShutDown = isShutDown.withLock { done in
            defer { done = true }
            return done
        }
        guard !wasShutDown else { return }
        try? await client.shutdown()
    }
}
