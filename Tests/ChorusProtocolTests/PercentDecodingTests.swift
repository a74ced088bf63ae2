import ChorusProtocol
import Foundation
import Testing

@Suite("Percent-decoding of URL components, as Foundation's removingPercentEncoding")
struct PercentDecodingTests {
    static let components = [
        "", "plain", "private-chat", "a%20b", "%41%62%63", "caf%C3%A9", "%E2%82%AC%20100", "%f0%9f%98%80",
        "a+b", "100%", "%4", "%zz", "%%", "%C3", "%FF%FE", "x%2Fy%3Fz%26w", "ünïcode", "%e2%82",
    ]

    @Test("decodes what Foundation decodes and refuses what it refuses", arguments: components)
    func matchesFoundation(component: String) {
        #expect(PercentDecoding.decode(Substring(component), plusIsSpace: false) == component.removingPercentEncoding)
    }

    @Test("a + is a space only in form encoding")
    func plus() {
        #expect(PercentDecoding.decode("a+b%2Bc", plusIsSpace: true) == "a b+c")
        #expect(PercentDecoding.decode("a+b%2Bc", plusIsSpace: false) == "a+b+c")
    }

    @Test("query strings decode keys and values and keep malformed escapes as they came")
    func queryString() {
        let pairs = QueryString.parse("auth_key=k%20ey&body_md5=&name=a+b&bad=%zz+1&flag")
        #expect(pairs.map(\.0) == ["auth_key", "body_md5", "name", "bad", "flag"])
        #expect(pairs.map(\.1) == ["k ey", "", "a b", "%zz 1", ""])
    }
}
