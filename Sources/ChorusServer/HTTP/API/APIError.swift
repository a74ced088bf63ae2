import ChorusProtocol
import NIOCore
package import NIOHTTP1

/// A refused API request: its status, a sentence for people and a stable code for programs,
/// rendered as `{"error": "...", "code": "..."}`.
package struct APIError: Error, Sendable {
    package var status: HTTPResponseStatus
    package var code: String
    package var message: String

    package static func badRequest(_ message: String, code: String = "invalid_request") -> APIError {
        APIError(status: .badRequest, code: code, message: message)
    }

    package static func unauthorized(_ message: String, code: String) -> APIError {
        APIError(status: .unauthorized, code: code, message: message)
    }

    package static func notFound(_ message: String, code: String = "not_found") -> APIError {
        APIError(status: .notFound, code: code, message: message)
    }

    package static func payloadTooLarge(_ message: String) -> APIError {
        APIError(status: .payloadTooLarge, code: "payload_too_large", message: message)
    }

    /// A request that began and did not arrive whole within the HTTP header or body timeout.
    package static let requestTimeout = APIError(
        status: .requestTimeout,
        code: "request_timeout",
        message: "The request did not arrive in time"
    )

    package static let appDisabled = APIError(
        status: .forbidden,
        code: "app_disabled",
        message: "Forbidden: the application is disabled"
    )

    package static let shuttingDown = APIError(
        status: .serviceUnavailable,
        code: "shutting_down",
        message: "The server is shutting down; retry against another instance"
    )

    /// The node lost Redis: a publish would reach this node's subscribers only, so it is refused.
    package static let clusterUnavailable = APIError(
        status: .serviceUnavailable,
        code: "cluster_unavailable",
        message: "This node cannot reach the cluster's Redis; nothing was published; retry (or use another node)"
    )

    package static let rateLimited = APIError(
        status: .tooManyRequests,
        code: "rate_limited",
        message: "Too many API requests for this application; retry after the time in Retry-After"
    )

    /// The history store failed: nothing was applied, a retry may succeed.
    package static func storeFailed(_ error: some Error) -> APIError {
        APIError(
            status: .serviceUnavailable,
            code: "history_store_unavailable",
            message: "The history store failed and nothing was applied; retry: \(error)"
        )
    }

    /// History (and so messages and annotations) is off for the channel.
    package static func historyDisabled(_ channel: String) -> APIError {
        APIError(
            status: .forbidden,
            code: "feature_disabled",
            message: "History is not enabled for channel '\(channel)' of this app"
        )
    }

    /// The JSON response carrying this error.
    package var response: HTTPResponse {
        let body: JSONValue = ["error": .string(message), "code": .string(code)]
        return .json(status, body.jsonText)
    }
}
