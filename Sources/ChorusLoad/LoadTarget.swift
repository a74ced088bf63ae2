/// The server a run drives and the app credentials it uses.
public struct LoadTarget: Sendable {
    public var host: String
    public var port: Int
    public var appID: String
    public var key: String
    public var secret: String
    /// The server's process id, for its CPU and memory figures; `nil` skips them.
    public var serverPID: Int32?

    public init(host: String, port: Int, appID: String, key: String, secret: String, serverPID: Int32? = nil) {
        self.host = host
        self.port = port
        self.appID = appID
        self.key = key
        self.secret = secret
        self.serverPID = serverPID
    }
}
