import Foundation
import NIOHTTP1

/// What a signed API request asks for, read from its method and path.
///
/// Path segments are percent-decoded, so `#server-to-user-1` may be sent as `%23server-to-user-1`.
/// Every route is also served under ``versionedPrefix`` (the base URL of seed 004).
enum APIRoute: Sendable, Hashable {
    case events
    case batchEvents
    case channels
    case channel(String)
    case channelUsers(String)
    case terminateConnections(userID: String)
    case auth

    /// A matched request: the app id named in the path (absent on the SDK's bare
    /// `/users/{id}/terminate_connections`) and the route.
    struct Match: Sendable, Hashable {
        var appID: String?
        var route: APIRoute
    }

    /// Why a path matched no route.
    enum Miss: Error, Sendable, Equatable {
        case notFound
        /// The path exists for other methods.
        case methodNotAllowed(allowed: HTTPMethod)
    }

    static let versionedPrefix = "/api/v1"

    /// The route of `method path`, or why there is none.
    static func match(method: HTTPMethod, path: Substring) -> Result<Match, Miss> {
        let path = path.hasPrefix(versionedPrefix + "/") ? path.dropFirst(versionedPrefix.count) : path
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(decode)
        let match: Match
        switch segments.count {
        case 3 where segments[0] == "users" && segments[2] == "terminate_connections":
            match = Match(appID: nil, route: .terminateConnections(userID: segments[1]))
        case 3 where segments[0] == "apps" && segments[2] == "events":
            match = Match(appID: segments[1], route: .events)
        case 3 where segments[0] == "apps" && segments[2] == "batch_events":
            match = Match(appID: segments[1], route: .batchEvents)
        case 3 where segments[0] == "apps" && segments[2] == "channels":
            match = Match(appID: segments[1], route: .channels)
        case 3 where segments[0] == "apps" && segments[2] == "auth":
            match = Match(appID: segments[1], route: .auth)
        case 4 where segments[0] == "apps" && segments[2] == "channels":
            match = Match(appID: segments[1], route: .channel(segments[3]))
        case 5 where segments[0] == "apps" && segments[2] == "channels" && segments[4] == "users":
            match = Match(appID: segments[1], route: .channelUsers(segments[3]))
        case 5 where segments[0] == "apps" && segments[2] == "users" && segments[4] == "terminate_connections":
            match = Match(appID: segments[1], route: .terminateConnections(userID: segments[3]))
        default:
            return .failure(.notFound)
        }
        let allowed = match.route.method
        guard method == allowed else { return .failure(.methodNotAllowed(allowed: allowed)) }
        return .success(match)
    }

    /// The one method the route answers.
    var method: HTTPMethod {
        switch self {
        case .events, .batchEvents, .terminateConnections, .auth: .POST
        case .channels, .channel, .channelUsers: .GET
        }
    }

    /// The route as a metrics label, without the parts that vary.
    var label: String {
        switch self {
        case .events: "/apps/:id/events"
        case .batchEvents: "/apps/:id/batch_events"
        case .channels: "/apps/:id/channels"
        case .channel: "/apps/:id/channels/:name"
        case .channelUsers: "/apps/:id/channels/:name/users"
        case .terminateConnections: "/apps/:id/users/:id/terminate_connections"
        case .auth: "/apps/:id/auth"
        }
    }

    private static func decode(_ segment: Substring) -> String {
        segment.removingPercentEncoding ?? String(segment)
    }
}
