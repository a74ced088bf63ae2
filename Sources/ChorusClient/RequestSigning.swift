/// How ``PusherHTTPClient`` signs a request: correctly, or wrong on purpose to probe a server's checks.
package enum RequestSigning: Sendable, Hashable {
    /// Signed with the app's key and secret at the current time.
    case valid
    /// No auth parameters at all.
    case none
    /// All auth parameters present, but `auth_signature` is not the right one.
    case badSignature
    /// `body_md5` is the MD5 of other bytes, and the signature is valid over that wrong value.
    case badBodyMD5
    /// Signed correctly at this `auth_timestamp` (seconds since 1970), e.g. one long past.
    case timestamp(Int)
    /// Signed correctly, but with this `auth_version` instead of 1.0.
    case authVersion(String)
    /// Signed correctly, with `body_md5` of the empty body although there is none (the Python SDK on GETs).
    case emptyBodyMD5
}
