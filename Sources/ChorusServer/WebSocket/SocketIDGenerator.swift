/// Makes Pusher socket ids: two random decimal numbers joined by a dot, as `^\d+\.\d+$` expects.
enum SocketIDGenerator {
    static func next() -> String {
        "\(UInt32.random(in: 1...UInt32.max)).\(UInt32.random(in: 1...UInt32.max))"
    }
}
