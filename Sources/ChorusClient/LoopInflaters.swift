import ChorusDeflate
import NIOCore
import Synchronization

/// One zlib inflate stream per event loop, shared by that loop's connections: the server
/// compresses each message on its own (`server_no_context_takeover`), so nothing of one message is
/// needed for the next and 10,000 connections cost a stream per loop, not one each.
final class LoopInflaters: Sendable {
    private let byLoop = Mutex<[ObjectIdentifier: NIOLoopBoundBox<MessageInflater>]>([:])

    /// The stream of `loop`; throws if zlib cannot allocate one.
    func inflater(for loop: any EventLoop) throws -> NIOLoopBoundBox<MessageInflater> {
        let id = ObjectIdentifier(loop)
        if let existing = byLoop.withLock({ $0[id] }) { return existing }
        let made = NIOLoopBoundBox.makeBoxSendingValue(try MessageInflater(), eventLoop: loop)
        return byLoop.withLock { boxes in
            if let existing = boxes[id] { return existing }
            boxes[id] = made
            return made
        }
    }
}
