import ChorusPush
import NIOHTTP1

/// A route under `/apps/{id}/push/` (v2-api.md §4). Several share a path and differ by method.
enum PushRoute: Sendable, Hashable {
    /// `POST …/deviceRegistrations`
    case registerDevice
    /// `GET …/deviceRegistrations` (`?client_id`)
    case listDevices
    /// `DELETE …/deviceRegistrations?client_id`
    case deleteDevices
    /// `GET …/deviceRegistrations/{id}`
    case device(String)
    /// `DELETE …/deviceRegistrations/{id}`
    case deleteDevice(String)
    /// `POST …/channelSubscriptions`
    case subscribe
    /// `GET …/channelSubscriptions` (`?channel|device_id|client_id`)
    case listSubscriptions
    /// `DELETE …/channelSubscriptions?channel|device_id|client_id`
    case unsubscribe
    /// `GET …/channelSubscriptions/channels`
    case subscribedChannels
    /// `POST …/credentials/{provider}`
    case putCredential(provider: String)
    /// `GET …/credentials`
    case listCredentials
    /// `POST …/publish`
    case publish
    /// `GET …/publish/{id}/status`
    case publishStatus(String)

    /// The route of `method` on the path after `push/`, or why there is none.
    static func match(method: HTTPMethod, rest: ArraySlice<String>) -> Result<PushRoute, APIRoute.Miss> {
        let parts = Array(rest)
        let routes: [(HTTPMethod, PushRoute)]
        switch (parts.count, parts.first) {
        case (1, "deviceRegistrations"):
            routes = [(.POST, .registerDevice), (.GET, .listDevices), (.DELETE, .deleteDevices)]
        case (2, "deviceRegistrations"):
            routes = [(.GET, .device(parts[1])), (.DELETE, .deleteDevice(parts[1]))]
        case (1, "channelSubscriptions"):
            routes = [(.POST, .subscribe), (.GET, .listSubscriptions), (.DELETE, .unsubscribe)]
        case (2, "channelSubscriptions") where parts[1] == "channels":
            routes = [(.GET, .subscribedChannels)]
        case (1, "credentials"):
            routes = [(.GET, .listCredentials)]
        case (2, "credentials"):
            routes = [(.POST, .putCredential(provider: parts[1]))]
        case (1, "publish"):
            routes = [(.POST, .publish)]
        case (3, "publish") where parts[2] == "status":
            routes = [(.GET, .publishStatus(parts[1]))]
        default:
            return .failure(.notFound)
        }
        guard let route = routes.first(where: { $0.0 == method })?.1 else {
            return .failure(.methodNotAllowed(allowed: routes.map(\.0)))
        }
        return .success(route)
    }

    var method: HTTPMethod {
        switch self {
        case .registerDevice, .subscribe, .putCredential, .publish: .POST
        case .listDevices, .device, .listSubscriptions, .subscribedChannels, .listCredentials, .publishStatus: .GET
        case .deleteDevices, .deleteDevice, .unsubscribe: .DELETE
        }
    }

    /// The route as a metrics label, without the parts that vary.
    var label: String {
        switch self {
        case .registerDevice, .listDevices, .deleteDevices: "/apps/:id/push/deviceRegistrations"
        case .device, .deleteDevice: "/apps/:id/push/deviceRegistrations/:id"
        case .subscribe, .listSubscriptions, .unsubscribe: "/apps/:id/push/channelSubscriptions"
        case .subscribedChannels: "/apps/:id/push/channelSubscriptions/channels"
        case .putCredential: "/apps/:id/push/credentials/:provider"
        case .listCredentials: "/apps/:id/push/credentials"
        case .publish: "/apps/:id/push/publish"
        case .publishStatus: "/apps/:id/push/publish/:id/status"
        }
    }
}
