import NIOCore
package import NIOHTTP1

/// Who may use the console: a request carrying `console_token` as `Authorization: Bearer …`
/// (compared in constant time), or — for the event stream only — the cookie of a session opened
/// with that token (``ConsoleSessions``).
package struct ConsoleAccess: Sendable {
    /// The name of the session cookie.
    package static let cookieName = "chorus_console"

    /// The refusal of a request without the token (or a session, for the stream).
    package static let refusal = APIError.unauthorized(
        "The console needs its token: send Authorization: Bearer <console_token>",
        code: "console_unauthorized"
    )

    let token: String
    let sessions: ConsoleSessions
    let clock: any ServerClock

    package init(token: String, sessions: ConsoleSessions = ConsoleSessions(), clock: any ServerClock) {
        self.token = token
        self.sessions = sessions
        self.clock = clock
    }

    /// Whether `headers` carry the token as a bearer credential.
    package func admitsBearer(_ headers: HTTPHeaders) -> Bool {
        guard let value = headers.first(name: "Authorization") else { return false }
        let prefix = "Bearer "
        guard value.count > prefix.count, value.lowercased().hasPrefix(prefix.lowercased()) else { return false }
        return RequestAuthenticator.constantTimeEquals(String(value.dropFirst(prefix.count)), token)
    }

    /// Whether `headers` carry the token or the cookie of an open session.
    package func admitsStream(_ headers: HTTPHeaders) -> Bool {
        if admitsBearer(headers) { return true }
        let now = clock.now()
        return Self.cookies(headers).contains { name, value in
            name == Self.cookieName && sessions.isOpen(String(value), now: now)
        }
    }

    /// Opens a session and returns the `Set-Cookie` value that carries it.
    package func openSession() -> String {
        let id = sessions.open(now: clock.now())
        let seconds = ConsoleSessions.lifetime.nanoseconds / 1_000_000_000
        return "\(Self.cookieName)=\(id); Path=/console; Max-Age=\(seconds); HttpOnly; SameSite=Strict"
    }

    /// The `name=value` pairs of every `Cookie` header.
    private static func cookies(_ headers: HTTPHeaders) -> [(Substring, Substring)] {
        headers["Cookie"].flatMap { header in
            header.split(separator: ";").compactMap { pair in
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { return nil }
                return (parts[0].drop { $0 == " " }, parts[1])
            }
        }
    }
}
