import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import Testing

@Suite("Console access: the token as a bearer credential, and the stream's session cookie")
struct ConsoleAccessTests {
    static let token = "console-token-0123456789"

    static func headers(_ pairs: (String, String)...) -> HTTPHeaders {
        HTTPHeaders(pairs)
    }

    @Test("only the exact token, as a bearer credential, is admitted")
    func bearer() {
        let access = ConsoleAccess(token: Self.token, clock: ManualClock())
        #expect(access.admitsBearer(Self.headers(("Authorization", "Bearer \(Self.token)"))))
        #expect(access.admitsBearer(Self.headers(("Authorization", "bearer \(Self.token)"))))
        #expect(!access.admitsBearer(Self.headers()))
        #expect(!access.admitsBearer(Self.headers(("Authorization", "Bearer "))))
        #expect(!access.admitsBearer(Self.headers(("Authorization", "Bearer wrong"))))
        #expect(!access.admitsBearer(Self.headers(("Authorization", "Bearer \(Self.token)x"))))
        #expect(!access.admitsBearer(Self.headers(("Authorization", "Bearer \(Self.token.dropLast())"))))
        #expect(!access.admitsBearer(Self.headers(("Authorization", "Basic \(Self.token)"))))
        #expect(!access.admitsBearer(Self.headers(("Authorization", Self.token))))
    }

    @Test("a session cookie admits the stream until it expires, and nothing else")
    func session() throws {
        let clock = ManualClock()
        let access = ConsoleAccess(token: Self.token, clock: clock)
        let cookie = access.openSession()
        #expect(cookie.contains("HttpOnly"))
        #expect(cookie.contains("SameSite=Strict"))
        #expect(cookie.contains("Path=/console"))
        let pair = try #require(cookie.split(separator: ";").first.map(String.init))
        let headers = Self.headers(("Cookie", "other=1; \(pair)"))
        #expect(access.admitsStream(headers))
        #expect(!access.admitsBearer(headers))
        #expect(!access.admitsStream(Self.headers(("Cookie", "\(ConsoleAccess.cookieName)=forged"))))
        #expect(access.admitsStream(Self.headers(("Authorization", "Bearer \(Self.token)"))))
        clock.advance(by: ConsoleSessions.lifetime)
        #expect(!access.admitsStream(headers))
    }

    @Test("sessions are bounded: the oldest gives way")
    func sessionsBounded() {
        let sessions = ConsoleSessions()
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let first = sessions.open(now: start)
        for index in 1..<ConsoleSessions.maximumCount { _ = sessions.open(now: start + .seconds(Int64(index))) }
        #expect(sessions.isOpen(first, now: start + .seconds(100)))
        _ = sessions.open(now: start + .seconds(100))
        #expect(!sessions.isOpen(first, now: start + .seconds(100)))
    }

    @Test("console_token is optional, and when set it must be long and without spaces")
    func setting() throws {
        var configuration = ServerConfiguration.embeddedDefault
        #expect(configuration.problems().isEmpty)
        configuration.consoleToken = "short"
        #expect(configuration.problems() == ["console_token must be at least 16 characters with no spaces"])
        configuration.consoleToken = "a token with spaces in it"
        #expect(configuration.problems().count == 1)
        let decoded = try ConfigurationLoader.decode("console_token: \(Self.token)\n", source: "test")
        #expect(decoded.consoleToken == Self.token)
        let environment = try ConfigurationLoader.load(path: nil, environment: ["CHORUS_CONSOLE_TOKEN": Self.token])
        #expect(environment.consoleToken == Self.token)
    }
}
