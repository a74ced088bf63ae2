/// The servers asked for on the command line (`--target`, repeatable; or `--host`/`--port` for one;
/// `--publish-target`), resolved against the scenario's own `targets` and `publish_target`.
///
/// The command line wins over the scenario, which wins over the default `127.0.0.1:6001`.
public struct TargetChoice: Sendable, Hashable {
    /// The server a run drives when neither the command line nor the scenario names one.
    public static let defaultAddress = ServerAddress(host: "127.0.0.1", port: 6001)

    /// `--target` values, in order.
    public var targets: [String]
    public var host: String?
    public var port: Int?
    /// `--publish-target`: an index into the resolved targets.
    public var publishTarget: Int?

    public init(targets: [String] = [], host: String? = nil, port: Int? = nil, publishTarget: Int? = nil) {
        self.targets = targets
        self.host = host
        self.port = port
        self.publishTarget = publishTarget
    }

    /// The target for `scenario` with these credentials; throws for a bad address, `--target`
    /// given with `--host`/`--port`, or a publish index outside the targets.
    public func target(
        for scenario: Scenario,
        appID: String,
        key: String,
        secret: String,
        serverPID: Int32? = nil
    ) throws(LoadTargetError) -> LoadTarget {
        try LoadTarget(
            addresses: try addresses(for: scenario),
            publishIndex: publishTarget ?? scenario.publishTarget ?? 0,
            appID: appID,
            key: key,
            secret: secret,
            serverPID: serverPID
        )
    }

    private func addresses(for scenario: Scenario) throws(LoadTargetError) -> [ServerAddress] {
        if !targets.isEmpty {
            guard host == nil, port == nil else { throw .targetWithHostOrPort }
            var addresses: [ServerAddress] = []
            for text in targets {
                do throws(ServerAddressError) {
                    addresses.append(try ServerAddress(parsing: text))
                } catch {
                    throw .badAddress(error)
                }
            }
            return addresses
        }
        if host != nil || port != nil {
            return [ServerAddress(host: host ?? Self.defaultAddress.host, port: port ?? Self.defaultAddress.port)]
        }
        return scenario.targets ?? [Self.defaultAddress]
    }
}
