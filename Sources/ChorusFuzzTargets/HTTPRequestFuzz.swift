import ChorusProtocol
import ChorusServer
import Dispatch
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// One API request through the router of a server without sockets. Fields: a flags byte (bit 0:
/// sign the request as the app's backend would, bits 1–3: the method), the path, the query and the
/// body, separated by NUL. Signing lets the fuzzer past the signature into body validation.
enum HTTPRequestFuzz {
    static let app = ServerConfiguration.defaultApp
    private static let methods: [HTTPMethod] = [.GET, .POST, .PUT, .DELETE, .HEAD, .PATCH, .OPTIONS, .POST]

    /// Built once per process: the router's state persists across inputs, like a long-lived server.
    static let router: HTTPRouter = {
        let box = RouterBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            var logger = Logger(label: "chorus-fuzz")
            logger.logLevel = .critical
            // History off: its replies wait for the store, and this replay runs synchronously.
            var configuration = ServerConfiguration.embeddedDefault
            configuration.apps[0].history.enabled = false
            box.router = try? await HTTPRouter.detached(
                configuration: configuration,
                eventLoops: [MultiThreadedEventLoopGroup.singleton.next()],
                logger: logger
            )
            done.signal()
        }
        done.wait()
        return box.router!
    }()

    static func run(_ bytes: [UInt8]) {
        guard let flags = bytes.first else { return }
        let fields = FuzzFields.split(Array(bytes.dropFirst()), into: 3)
        let method = methods[Int(flags >> 1) & 7]
        let path = String(decoding: fields[0], as: UTF8.self)
        let query = String(decoding: fields[1], as: UTF8.self)
        let body = fields[2]
        let uri: String
        if flags & 1 == 1, path.hasPrefix("/") {
            let signer = RequestSigner(key: app.key, secret: app.secret)
            let extra = QueryString.parse(Substring(query))
            uri = signer.signedTarget(method: method.rawValue, path: path, body: body, extra: extra)
        } else {
            uri = query.isEmpty ? path : path + "?" + query
        }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: uri)
        guard case .now(let response) = router.respond(to: HTTPRequest(head: head, body: ByteBuffer(bytes: body)))
        else { preconditionFailure("\(method) \(uri) waited for the history store, which is off here") }
        precondition(response.status.code < 500, "\(method) \(uri) answered \(response.status)")
    }
}

private final class RouterBox: @unchecked Sendable {
    var router: HTTPRouter?
}
