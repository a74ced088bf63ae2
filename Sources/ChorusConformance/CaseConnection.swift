import ChorusClient
import NIOCore

/// A case's named WebSocket connection: the session, its socket id, and messages put back for later steps.
final class CaseConnection {
    let session: WebSocketSession
    /// The app the connection belongs to (its subscriptions and sign-in are signed with its secret).
    let app: ConformanceTarget.App
    var socketID: String?
    private var putBack: [WebSocketInbound] = []

    init(session: WebSocketSession, app: ConformanceTarget.App) {
        self.session = session
        self.app = app
    }

    /// The next thing received, put-back items first.
    func next(timeout: TimeAmount) async throws -> WebSocketInbound {
        if !putBack.isEmpty { return putBack.removeFirst() }
        return try await session.next(timeout: timeout)
    }

    /// Returns items (in order) to be read again by the next step.
    func putBack(_ items: [WebSocketInbound]) {
        putBack.insert(contentsOf: items, at: 0)
    }
}
