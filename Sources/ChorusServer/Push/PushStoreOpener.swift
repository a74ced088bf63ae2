import ChorusPush
import ChorusPushProviders
import ChorusStorage
import Foundation
import Logging

/// Opens the push store that `storage` names and builds the provider clients that
/// `push_delivery` configures: the one place the server picks them.
enum PushStoreOpener {
    static func open(_ storage: StorageSettings, logger: Logger) async throws -> any PushStore {
        try await PushStoreFactory.open(storage.configuration, logger: logger)
    }

    /// The APNs, FCM and Web Push clients, trusting `trust_roots_file` instead of the system's
    /// roots when it is set.
    static func providers(_ delivery: PushDeliverySettings, logger: Logger) throws -> PushProviders {
        var trustRoots: String?
        if !delivery.trustRootsFile.isEmpty {
            do {
                trustRoots = try String(contentsOfFile: delivery.trustRootsFile, encoding: .utf8)
            } catch {
                throw ConfigurationError(
                    source: "configuration",
                    problems: ["push_delivery.trust_roots_file: cannot read \(delivery.trustRootsFile): \(error)"]
                )
            }
        }
        return try PushProviders(
            configuration: delivery.providerConfiguration(trustRootsPEM: trustRoots),
            logger: logger
        )
    }
}
