/// Makes Pusher socket ids: two random decimal numbers joined by a dot, as `^\d+\.\d+$` expects.
///
/// Each number has at most seven digits, so an id is at most 15 bytes: Swift keeps such a string
/// inline, without a heap allocation per connection (10^14 ids, so two connections that share
/// one are as unlikely as with longer ids at this server's scale).
enum SocketIDGenerator {
    static func next() -> String {
        // Appends small strings to small strings, which stays small (interpolation would reserve
        // heap storage first).
        var id = String(UInt32.random(in: 1...9_999_999))
        id += "."
        id += String(UInt32.random(in: 1...9_999_999))
        return id
    }
}
