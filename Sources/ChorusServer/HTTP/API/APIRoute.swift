import ChorusHistory
import ChorusProtocol
import Foundation
import NIOHTTP1

/// What a signed API request asks for, read from its method and path.
///
/// Path segments are percent-decoded, so `#server-to-user-1` may be sent as `%23server-to-user-1`
/// and a serial's `:` as `%3A` (the signature covers the path as sent).
/// Every route is also served under ``versionedPrefix`` (the base URL of seed 004).
enum APIRoute: Sendable, Hashable {
    case events
    case batchEvents
    case channels
    case channel(String)
    case channelUsers(String)
    case terminateConnections(userID: String)
    case auth
    /// `GET …/channels/{ch}/history`
    case history(channel: String)
    /// `GET …/channels/{ch}/messages/{serial}`
    case message(channel: String, serial: String)
    /// `GET …/channels/{ch}/messages/{serial}/versions`
    case versions(channel: String, serial: String)
    /// `POST …/channels/{ch}/messages/{serial}/update|delete|append`
    case mutate(channel: String, serial: String, action: MessageAction)
    /// `POST …/channels/{ch}/messages/{serial}/annotations`
    case annotate(channel: String, serial: String)
    /// `GET …/channels/{ch}/messages/{serial}/annotations`
    case annotations(channel: String, serial: String)
    /// `DELETE …/channels/{ch}/messages/{serial}/annotations/{annotation}`
    case deleteAnnotation(channel: String, serial: String, annotation: String)
    /// `…/push/…`
    case push(PushRoute)

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
        case methodNotAllowed(allowed: [HTTPMethod])
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
        case 5 where segments[0] == "apps" && segments[2] == "channels" && segments[4] == "history":
            match = Match(appID: segments[1], route: .history(channel: segments[3]))
        case 4...6 where segments[0] == "apps" && segments[2] == "push":
            return PushRoute.match(method: method, rest: segments[3...]).map {
                Match(appID: segments[1], route: .push($0))
            }
        case 6...8 where segments[0] == "apps" && segments[2] == "channels" && segments[4] == "messages":
            guard let route = messageRoute(method: method, channel: segments[3], rest: segments[5...]) else {
                return .failure(.notFound)
            }
            match = Match(appID: segments[1], route: route)
        default:
            return .failure(.notFound)
        }
        let allowed = match.route.method
        guard method == allowed else { return .failure(.methodNotAllowed(allowed: [allowed])) }
        return .success(match)
    }

    /// The route under `…/messages/`: `{serial}`, `{serial}/versions`, `{serial}/update|delete|append`,
    /// `{serial}/annotations` (GET lists, anything else is the POST) and `{serial}/annotations/{id}`.
    private static func messageRoute(method: HTTPMethod, channel: String, rest: ArraySlice<String>) -> APIRoute? {
        let parts = Array(rest)
        switch parts.count {
        case 1:
            return .message(channel: channel, serial: parts[0])
        case 2 where parts[1] == "versions":
            return .versions(channel: channel, serial: parts[0])
        case 2 where parts[1] == "annotations":
            return method == .GET
                ? .annotations(channel: channel, serial: parts[0]) : .annotate(channel: channel, serial: parts[0])
        case 2:
            guard let action = MessageAction(rawValue: parts[1]), action != .create else { return nil }
            return .mutate(channel: channel, serial: parts[0], action: action)
        case 3 where parts[1] == "annotations":
            return .deleteAnnotation(channel: channel, serial: parts[0], annotation: parts[2])
        default:
            return nil
        }
    }

    /// The one method the route answers.
    var method: HTTPMethod {
        switch self {
        case .events, .batchEvents, .terminateConnections, .auth, .mutate, .annotate: .POST
        case .channels, .channel, .channelUsers, .history, .message, .versions, .annotations: .GET
        case .deleteAnnotation: .DELETE
        case .push(let route): route.method
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
        case .history: "/apps/:id/channels/:name/history"
        case .message: "/apps/:id/channels/:name/messages/:serial"
        case .versions: "/apps/:id/channels/:name/messages/:serial/versions"
        case .mutate(_, _, let action): "/apps/:id/channels/:name/messages/:serial/\(action.rawValue)"
        case .annotate, .annotations: "/apps/:id/channels/:name/messages/:serial/annotations"
        case .deleteAnnotation: "/apps/:id/channels/:name/messages/:serial/annotations/:id"
        case .push(let route): route.label
        }
    }

    private static func decode(_ segment: Substring) -> String {
        PercentDecoding.decode(segment, plusIsSpace: false) ?? String(segment)
    }
}
