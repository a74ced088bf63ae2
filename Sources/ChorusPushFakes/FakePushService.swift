/// What the three fakes share: a loopback endpoint, its ledger of requests and accepted
/// notifications (scripting per target included), and a way to stop it.
package protocol FakePushService: Sendable {
    /// Every request counted, every accepted notification recorded, the behaviour scripted per
    /// device token or subscription id.
    var ledger: FakeLedger { get }
    /// The port bound on 127.0.0.1.
    var port: Int { get }
    /// The endpoint's origin, what a client under test is pointed at.
    var baseURL: String { get }
    /// Closes the socket and every connection, hanging requests included.
    func shutdown() async
}
