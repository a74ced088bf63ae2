import ChorusServer
import NIOCore
import NIOHTTP1
import Testing

@Suite("Per-IP limits: addresses, CIDR blocks and X-Forwarded-For")
struct ClientAddressLimitTests {
    private static func peer(_ ip: String) throws -> SocketAddress {
        try SocketAddress(ipAddress: ip, port: 40000)
    }

    private static func resolver(_ proxies: [String]) throws -> ClientAddressResolver {
        ClientAddressResolver(trustedProxies: try proxies.map { try #require(IPAddressRange($0)) })
    }

    private static func forwarded(_ values: String...) -> HTTPHeaders {
        HTTPHeaders(values.map { ("X-Forwarded-For", $0) })
    }

    @Test("IPv4, IPv6 and IPv4-mapped IPv6 addresses; one key per client")
    func addresses() throws {
        #expect(IPAddress("192.0.2.1")?.bytes == [192, 0, 2, 1])
        #expect(IPAddress("::ffff:192.0.2.1") == IPAddress("192.0.2.1"))
        #expect(IPAddress("[2001:db8::1]") == IPAddress("2001:DB8:0:0:0:0:0:1"))
        #expect(IPAddress("2001:db8::1")?.description == "2001:db8::1")
        #expect(IPAddress("192.0.2.1")?.description == "192.0.2.1")
        for bad in ["", "192.0.2", "192.0.2.256", "example.com", "2001:db8::g", "192.0.2.1:80"] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
    }

    @Test("CIDR blocks at their edges, v4 and v6; single addresses; invalid prefixes")
    func ranges() throws {
        let v4 = try #require(IPAddressRange("10.1.0.0/16"))
        #expect(v4.contains(try #require(IPAddress("10.1.0.0"))))
        #expect(v4.contains(try #require(IPAddress("10.1.255.255"))))
        #expect(!v4.contains(try #require(IPAddress("10.2.0.0"))))
        #expect(!v4.contains(try #require(IPAddress("10.0.255.255"))))
        let odd = try #require(IPAddressRange("192.0.2.64/27"))
        #expect(odd.contains(try #require(IPAddress("192.0.2.95"))))
        #expect(!odd.contains(try #require(IPAddress("192.0.2.96"))))
        #expect(!odd.contains(try #require(IPAddress("192.0.2.63"))))
        let v6 = try #require(IPAddressRange("2001:db8::/32"))
        #expect(v6.contains(try #require(IPAddress("2001:db8:ffff::1"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db9::1"))))
        #expect(!v6.contains(try #require(IPAddress("10.1.0.1"))))
        let one = try #require(IPAddressRange("192.0.2.7"))
        #expect(one.contains(try #require(IPAddress("192.0.2.7"))))
        #expect(!one.contains(try #require(IPAddress("192.0.2.8"))))
        #expect(try #require(IPAddressRange("0.0.0.0/0")).contains(try #require(IPAddress("203.0.113.9"))))
        for bad in ["10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/x", "proxy.internal", ""] {
            #expect(IPAddressRange(bad) == nil, "\(bad)")
        }
    }

    @Test("an untrusted peer is the client whatever X-Forwarded-For says")
    func untrustedPeer() throws {
        let resolver = try Self.resolver(["10.0.0.0/8"])
        let client = resolver.client(peer: try Self.peer("203.0.113.5"), headers: Self.forwarded("198.51.100.1"))
        #expect(client == IPAddress("203.0.113.5"))
        let noProxies = try Self.resolver([])
        #expect(
            noProxies.client(peer: try Self.peer("127.0.0.1"), headers: Self.forwarded("198.51.100.1"))
                == IPAddress("127.0.0.1")
        )
    }

    @Test(
        "behind trusted proxies, the right-most untrusted address is the client; spoofed entries left of it are ignored"
    )
    func trustedChain() throws {
        let resolver = try Self.resolver(["10.0.0.0/8", "2001:db8::/32"])
        let peer = try Self.peer("10.0.0.1")
        #expect(resolver.client(peer: peer, headers: Self.forwarded("198.51.100.1")) == IPAddress("198.51.100.1"))
        // The client wrote 1.1.1.1 itself; the first proxy appended the address it saw, a second proxy its own.
        #expect(
            resolver.client(peer: peer, headers: Self.forwarded("1.1.1.1, 198.51.100.1, 10.0.0.2"))
                == IPAddress("198.51.100.1")
        )
        // Several headers are one list, in order.
        #expect(
            resolver.client(peer: peer, headers: Self.forwarded("1.1.1.1", "198.51.100.1", "10.0.0.2"))
                == IPAddress("198.51.100.1")
        )
        #expect(
            resolver.client(peer: peer, headers: Self.forwarded("[2001:db9::5]:4711, 2001:db8::9"))
                == IPAddress("2001:db9::5")
        )
        #expect(resolver.client(peer: peer, headers: Self.forwarded("198.51.100.1:4711")) == IPAddress("198.51.100.1"))
    }

    @Test("trusted proxies only, no header, and garbage: the nearest believable address")
    func trustedFallbacks() throws {
        let resolver = try Self.resolver(["10.0.0.0/8"])
        let peer = try Self.peer("10.0.0.1")
        #expect(resolver.client(peer: peer, headers: HTTPHeaders()) == IPAddress("10.0.0.1"))
        #expect(resolver.client(peer: peer, headers: Self.forwarded("10.9.9.9, 10.0.0.2")) == IPAddress("10.9.9.9"))
        #expect(resolver.client(peer: peer, headers: Self.forwarded("unknown, 10.0.0.2")) == IPAddress("10.0.0.2"))
        #expect(resolver.client(peer: peer, headers: Self.forwarded("garbage")) == IPAddress("10.0.0.1"))
        #expect(resolver.client(peer: nil, headers: Self.forwarded("198.51.100.1")) == nil)
    }

    @Test("a malformed trusted_proxies entry keeps the server from starting")
    func startupProblem() {
        var configuration = ServerConfiguration.embeddedDefault
        configuration.trustedProxies = ["10.0.0.0/8", "10.0.0.0/40"]
        #expect(
            configuration.problems() == [
                "trusted_proxies: '10.0.0.0/40' is not an IP address or CIDR block (e.g. 10.0.0.0/8, 2001:db8::/32)"
            ]
        )
    }
}
