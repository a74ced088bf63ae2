import ChorusProtocol
import NIOHTTP1

/// FCM HTTP v1's error answers: Google's `{"error": {code, message, status, details}}` with the
/// FCM error code in a `google.firebase.fcm.v1.FcmError` detail.
enum FCMError {
    static func response(
        _ status: HTTPResponseStatus,
        _ googleStatus: String,
        message: String,
        fcmErrorCode: String? = nil,
        headers: HTTPHeaders = [:]
    ) -> FakeHTTPResponse {
        var error: [String: JSONValue] = [
            "code": .integer(Int64(status.code)), "message": .string(message), "status": .string(googleStatus),
        ]
        if let fcmErrorCode {
            error["details"] = [
                [
                    "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                    "errorCode": .string(fcmErrorCode),
                ]
            ]
        }
        return .json(status, ["error": .object(error)], headers: headers)
    }

    static func invalidArgument(_ message: String) -> FakeHTTPResponse {
        response(.badRequest, "INVALID_ARGUMENT", message: message, fcmErrorCode: "INVALID_ARGUMENT")
    }

    static let unauthenticated = response(
        .unauthorized,
        "UNAUTHENTICATED",
        message: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
            + "or other valid authentication credential."
    )

    /// The answer a script asks for (not `.accept` nor `.hang`).
    static func scripted(_ answer: FakeAnswer) -> FakeHTTPResponse {
        switch answer {
        case .gone:
            response(.notFound, "NOT_FOUND", message: "Requested entity was not found.", fcmErrorCode: "UNREGISTERED")
        case .badDeviceToken:
            invalidArgument("The registration token is not a valid FCM registration token")
        case .rateLimited(let seconds):
            response(
                .tooManyRequests,
                "RESOURCE_EXHAUSTED",
                message: "Quota exceeded.",
                fcmErrorCode: "QUOTA_EXCEEDED",
                headers: ["retry-after": String(seconds)]
            )
        case .serverError, .accept, .hang:
            response(.internalServerError, "INTERNAL", message: "Internal error encountered.", fcmErrorCode: "INTERNAL")
        }
    }
}
