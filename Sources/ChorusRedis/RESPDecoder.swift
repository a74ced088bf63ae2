import NIOCore

/// Splits the byte stream from Redis into ``RESPValue``s (see ``RESPParser``).
struct RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    private let parser = RESPParser()

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let value = try self.parser.next(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(value))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        try self.decode(context: context, buffer: &buffer)
    }
}
