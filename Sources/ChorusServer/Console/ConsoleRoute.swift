/// The paths of the debug console on the metrics listener.
enum ConsoleRoute: Equatable {
    /// `/console`: the page.
    case page
    /// `/console/console.js` or `/console/console.css`.
    case asset(ConsoleAssets.Asset)
    /// `/console/session`: the token traded for a stream session.
    case session
    /// `/console/apps`: the apps to pick from.
    case apps
    /// `/console/apps/{id}/stream`: the Server-Sent Events feed of one app.
    case stream(appID: String)
    /// `/console/apps/{id}/events`: the trigger form.
    case events(appID: String)

    init?(path: Substring) {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.first == "console" else { return nil }
        let rest = Array(parts.dropFirst())
        switch rest.count {
        case 0:
            self = .page
        case 1 where rest[0] == "session":
            self = .session
        case 1 where rest[0] == "apps":
            self = .apps
        case 1:
            guard let asset = ConsoleAssets.Asset(rawValue: rest[0]), asset != .page else { return nil }
            self = .asset(asset)
        case 3 where rest[0] == "apps" && rest[2] == "stream":
            self = .stream(appID: rest[1])
        case 3 where rest[0] == "apps" && rest[2] == "events":
            self = .events(appID: rest[1])
        default:
            return nil
        }
    }
}
