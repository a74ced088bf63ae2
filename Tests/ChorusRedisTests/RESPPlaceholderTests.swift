// PLACEHOLDER — the Redis helper replaces this file with the real tests.
import Testing

@Suite struct RESPPlaceholderTests {
    @Test func placeholder() {}
}
