import NIOCore
import NIOHTTP1

/// Collects one request at a time and writes what the fake answers; no answer (`nil`) leaves the
/// request hanging. Serves HTTP/1.1 connections and HTTP/2 streams (behind the HTTP/1 codec) alike.
final class FakeHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let respond: @Sendable (FakeHTTPRequest) -> FakeHTTPResponse?
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(respond: @escaping @Sendable (FakeHTTPRequest) -> FakeHTTPResponse?) {
        self.respond = respond
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            guard let head else { return }
            self.head = nil
            let request = FakeHTTPRequest(method: head.method, target: head.uri, headers: head.headers, body: body)
            guard let response = respond(request) else { return }
            write(response, version: head.version, context: context)
        }
    }

    private func write(_ response: FakeHTTPResponse, version: HTTPVersion, context: ChannelHandlerContext) {
        var headers = response.headers
        headers.replaceOrAdd(name: "content-length", value: String(response.body.count))
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: version, status: response.status, headers: headers))),
            promise: nil
        )
        if !response.body.isEmpty {
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))),
                promise: nil
            )
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

@available(*, unavailable)
extension FakeHTTPHandler: Sendable {}
