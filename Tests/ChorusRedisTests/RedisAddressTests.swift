import ChorusRedis
import Testing

@Suite struct RedisAddressTests {
    @Test func parsesEveryPart() throws {
        #expect(try RedisAddress(url: "redis://127.0.0.1") == RedisAddress(host: "127.0.0.1"))
        #expect(try RedisAddress(url: "redis://localhost:6380/") == RedisAddress(host: "localhost", port: 6380))
        #expect(
            try RedisAddress(url: "redis://:s%40cret@cache:7000/3")
                == RedisAddress(host: "cache", port: 7000, password: "s@cret", database: 3)
        )
        #expect(try RedisAddress(url: "redis://default:pw@h") == RedisAddress(host: "h", password: "pw"))
        #expect(try RedisAddress(url: "REDIS://[::1]:6390/1") == RedisAddress(host: "::1", port: 6390, database: 1))
    }

    @Test(
        arguments: [
            "rediss://host", "http://host", "host:6379", "redis://", "redis://:6379", "redis://h:0",
            "redis://h:70000", "redis://h:port", "redis://h/db", "redis://h/-1", "redis://pw@h",
            "redis://alice:pw@h", "redis://h?timeout=1", "redis://:%4@h", "redis://[::1",
        ]
    )
    func refusesWhatItCannotUse(_ url: String) {
        #expect(throws: RedisError.self) { try RedisAddress(url: url) }
    }

    @Test func describesWithoutThePassword() throws {
        let address = try RedisAddress(url: "redis://:topsecret@cache:7000/2")
        #expect("\(address)" == "redis://:***@cache:7000/2")
        #expect(!"\(RedisError.invalidURL("x"))".contains("topsecret"))
    }
}
