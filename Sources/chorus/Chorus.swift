import ArgumentParser

@main
struct Chorus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A Pusher-protocol realtime server.")
}
