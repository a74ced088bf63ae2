import Benchmark
import ChorusServer
import NIOCore
import NIOEmbedded
import NIOWebSocket

/// Reading a client's messages: one masked ~100-byte text frame per read, and the same message
/// split into three fragments in one read, through ``WebSocketFrameReader`` in an
/// `EmbeddedChannel`. The bytes are made before each measurement, as the socket would deliver
/// them; the count includes NIO's box of each frame passed on.
func webSocketFrameReaderBenchmarks() {
    let message = #"{"event":"client-typing","channel":"private-chat","data":{"user":"alice","at":1767225600123}}"#
    readFrames("websocket.read.textFrame", message: message, fragments: 1)
    readFrames("websocket.read.fragmented3", message: message, fragments: 3)
}

private func readFrames(_ name: String, message: String, fragments: Int) {
    let channel = EmbeddedChannel(handler: WebSocketFrameReader(maxMessageBytes: 10_240))
    Benchmark(name) { benchmark in
        let bytes = maskedFrames(message, fragments: fragments)
        benchmark.startMeasurement()
        try channel.writeInbound(bytes)
        blackHole(try channel.readInbound(as: WebSocketFrame.self))
        benchmark.stopMeasurement()
    }
}

/// `message` as a client sends it: masked, in `fragments` frames (RFC 6455 §5.2, §5.4).
private func maskedFrames(_ message: String, fragments: Int) -> ByteBuffer {
    let payload = Array(message.utf8)
    let size = (payload.count + fragments - 1) / fragments
    let key: [UInt8] = [0x12, 0x34, 0x56, 0x78]
    var bytes = ByteBuffer()
    bytes.reserveCapacity(payload.count + fragments * 6)
    for index in 0..<fragments {
        let part = payload[min(index * size, payload.count)..<min((index + 1) * size, payload.count)]
        let opcode: UInt8 = index == 0 ? 0x1 : 0x0
        bytes.writeInteger((index == fragments - 1 ? 0x80 : 0) | opcode)
        bytes.writeInteger(0x80 | UInt8(part.count))
        bytes.writeBytes(key)
        bytes.writeBytes(part.enumerated().map { $0.element ^ key[$0.offset % 4] })
    }
    return bytes
}
