package import NIOHTTP1

/// How large a request head may be: NIO's decoder refuses a larger one, answered with 431 by
/// ``HTTPRequestErrorResponder``. Generous for every Pusher SDK and browser upgrade request, far
/// below what would let one connection hold much memory.
package enum HTTPHeadLimits {
    /// The request line plus every header name and value, in bytes (also the most any one may take).
    package static let maxHeadBytes = 32 * 1024
    package static let maxHeaderFields = 100

    /// The limits as the HTTP decoder takes them.
    package static var decoderConfiguration: NIOHTTPDecoderLimitConfiguration {
        var configuration = NIOHTTPDecoderLimitConfiguration()
        configuration.maxHeaderFieldSize = maxHeadBytes
        configuration.maxHeaderListSize = maxHeadBytes
        configuration.maxHeaderFieldCount = maxHeaderFields
        return configuration
    }
}
