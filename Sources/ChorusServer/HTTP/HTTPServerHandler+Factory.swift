package import NIOCore

/// The handler that collects a connection's HTTP requests and writes the responses
/// (`HTTPServerHandler`), for pipelines assembled outside this module, as in handler tests.
package func makeHTTPServerHandler(
    maxBodyBytes: Int,
    fanOutDone: @escaping (any EventLoop) -> EventLoopFuture<Void>,
    respond: @escaping (HTTPRequest) -> HTTPResponse
) -> any ChannelHandler {
    HTTPServerHandler(maxBodyBytes: maxBodyBytes, fanOutDone: fanOutDone, respond: respond)
}
