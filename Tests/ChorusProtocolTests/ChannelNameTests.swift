import ChorusProtocol
import Testing

@Suite struct ChannelNameTests {
    @Test func lengthLimitIncludesThePrefix() {
        let longest = "private-" + String(repeating: "a", count: 156)
        #expect(longest.count == 164)
        #expect(ChannelName(longest) != nil)
        #expect(ChannelName(longest + "a") == nil)
        #expect(ChannelName(String(repeating: "x", count: 164)) != nil)
        #expect(ChannelName(String(repeating: "x", count: 165)) == nil)
        #expect(ChannelName("") == nil)
    }

    @Test func allowedCharacters() {
        #expect(ChannelName("azAZ09_-=@,.;") != nil)
        for bad in ["a b", "a/b", "a:b", "a#b", "a*b", "a\"b", "é", "a\nb", "a+b", "a?b"] {
            #expect(ChannelName(bad) == nil, "\(bad)")
        }
        #expect(ChannelName(ChannelName.serverToUserPrefix + "1") == nil)
    }

    @Test(arguments: [
        ("my-channel", ChannelKind.public, false),
        ("cache-prices", .public, true),
        ("private-chat", .private, false),
        ("private-cache-chat", .private, true),
        ("private-encrypted-dm", .privateEncrypted, false),
        ("private-encrypted-cache-dm", .privateEncrypted, true),
        ("presence-room", .presence, false),
        ("presence-cache-room", .presence, true),
        ("privatechat", .public, false),
        ("presence", .public, false),
    ])
    func prefixDecidesKindAndCaching(name: String, kind: ChannelKind, isCache: Bool) throws {
        let channel = try #require(ChannelName(name))
        #expect(channel.kind == kind)
        #expect(channel.isCache == isCache)
        #expect(channel.rawValue == name)
    }

    @Test func kindRules() {
        #expect(!ChannelKind.public.requiresAuthentication)
        #expect(ChannelKind.private.requiresAuthentication)
        #expect(ChannelKind.presence.requiresAuthentication)
        #expect(ChannelKind.privateEncrypted.requiresAuthentication)
        #expect(ChannelKind.private.allowsClientEvents)
        #expect(ChannelKind.presence.allowsClientEvents)
        #expect(!ChannelKind.public.allowsClientEvents)
        #expect(!ChannelKind.privateEncrypted.allowsClientEvents)
    }

    @Test func serverToUserChannel() {
        let channel = ChannelName.serverToUser("42")
        #expect(channel.rawValue == "#server-to-user-42")
        #expect(channel.kind == .private)
        #expect(!channel.isCache)
    }
}
