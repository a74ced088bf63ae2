import Foundation
import Logging

/// What the Redis tests share.
enum TestRedis {
    /// The shared test server (`scripts/lib/start-redis.sh` prints one); its tests are skipped without it.
    static let url = ProcessInfo.processInfo.environment["CHORUS_TEST_REDIS_URL"]
    static let logger = Logger(label: "chorus.redis.tests")
}
