import ChorusServer
import Testing

@Suite("allowed_origins patterns")
struct OriginPatternTests {
    @Test("an exact origin matches itself, case-insensitively, with or without its default port")
    func exact() throws {
        let pattern = try #require(OriginPattern("https://App.Example.com"))
        #expect(pattern.matches("https://app.example.com"))
        #expect(pattern.matches("HTTPS://APP.EXAMPLE.COM"))
        #expect(pattern.matches("https://app.example.com:443"))
        #expect(!pattern.matches("http://app.example.com"))
        #expect(!pattern.matches("https://app.example.com:8443"))
        #expect(!pattern.matches("https://example.com"))
        #expect(!pattern.matches("https://evil-app.example.com"))
        #expect(!pattern.matches("null"))
        let withPort = try #require(OriginPattern("http://localhost:3000"))
        #expect(withPort.matches("http://localhost:3000"))
        #expect(!withPort.matches("http://localhost"))
        #expect(!withPort.matches("http://localhost:3001"))
    }

    @Test("*.domain matches every subdomain at any depth, not the bare domain nor look-alikes")
    func subdomains() throws {
        let pattern = try #require(OriginPattern("https://*.example.com"))
        #expect(pattern.matches("https://app.example.com"))
        #expect(pattern.matches("https://a.b.example.com"))
        #expect(!pattern.matches("https://example.com"))
        #expect(!pattern.matches("https://evilexample.com"))
        #expect(!pattern.matches("https://example.com.evil.test"))
        #expect(!pattern.matches("http://app.example.com"))
        #expect(!pattern.matches("https://app.example.com:8443"))
    }

    @Test("* alone matches every origin, null included")
    func any() throws {
        let pattern = try #require(OriginPattern("*"))
        #expect(pattern.matches("https://anything.test"))
        #expect(pattern.matches("null"))
    }

    @Test(
        "malformed entries are refused",
        arguments: [
            "", "example.com", "https://", "https://example.com/", "https://example.com/path", "https://*",
            "https://*.", "https://a.*.example.com", "https://*example.com", "https://example.com:0",
            "https://example.com:99999", "https://exa mple.com", "*.example.com",
        ]
    )
    func malformed(entry: String) {
        #expect(OriginPattern(entry) == nil)
    }

    @Test("an app allows a missing Origin always, any Origin with no list, listed origins only otherwise")
    func appPolicy() {
        var app = AppConfiguration(id: "1", key: "k", secret: "s")
        #expect(app.allowsOrigin(nil))
        #expect(app.allowsOrigin("https://anything.test"))
        app.allowedOrigins = ["https://*.example.com", "http://localhost:3000"]
        #expect(app.allowsOrigin(nil))
        #expect(app.allowsOrigin("https://www.example.com"))
        #expect(app.allowsOrigin("http://localhost:3000"))
        #expect(!app.allowsOrigin("https://example.com"))
        #expect(!app.allowsOrigin("https://evil.test"))
    }

    @Test("a malformed allowed_origins entry keeps the server from starting, naming the app and the entry")
    func startupProblem() {
        var app = AppConfiguration(id: "1", key: "k", secret: "s")
        app.allowedOrigins = ["https://ok.test", "example.com"]
        let problems = ServerConfiguration(apps: [app]).problems()
        #expect(problems.contains { $0.hasPrefix("app '1': allowed_origins: 'example.com'") })
        #expect(problems.count == 1)
    }
}
