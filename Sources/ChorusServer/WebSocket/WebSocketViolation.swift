package import NIOWebSocket

/// A client frame that breaks RFC 6455, and the close code it is answered with.
package enum WebSocketViolation: Error, Sendable, Equatable {
    /// A client frame without a masking key (RFC 6455 §5.1).
    case unmaskedFrame
    /// RSV1–3 set where no negotiated extension gives them a meaning (§5.2; RFC 7692 §6).
    case reservedBitsSet
    /// Opcodes 0x3–0x7 and 0xB–0xF (§5.2).
    case reservedOpcode
    /// A control frame that is fragmented or carries more than 125 bytes (§5.5).
    case invalidControlFrame
    /// Fragments out of order: a continuation with nothing to continue, or a new message inside one (§5.4).
    case badFragmentSequence
    /// A message (or the sum of its fragments) over `max_message_bytes`.
    case messageTooLarge
    /// A text message, or a close reason, that is not UTF-8 (§8.1).
    case invalidUTF8
    /// A close frame with a one-byte payload or a code no endpoint may send (§7.4).
    case invalidClosePayload
    /// A compressed message that is not valid deflate data (RFC 7692 §6.2).
    case invalidCompressedData

    /// The code of the server's close frame.
    package var closeCode: WebSocketErrorCode {
        switch self {
        case .messageTooLarge: .messageTooLarge
        case .invalidUTF8, .invalidCompressedData: .dataInconsistentWithMessage
        case .unmaskedFrame, .reservedBitsSet, .reservedOpcode, .invalidControlFrame, .badFragmentSequence,
            .invalidClosePayload:
            .protocolError
        }
    }

    /// The reason in the server's close frame.
    package var reason: String {
        switch self {
        case .unmaskedFrame: "Client frames must be masked"
        case .reservedBitsSet: "Reserved bits set without an extension"
        case .reservedOpcode: "Reserved opcode"
        case .invalidControlFrame: "Invalid control frame"
        case .badFragmentSequence: "Fragments out of order"
        case .messageTooLarge: "Message too big"
        case .invalidUTF8: "Text is not valid UTF-8"
        case .invalidClosePayload: "Invalid close frame"
        case .invalidCompressedData: "Invalid compressed message"
        }
    }

    /// Whether a client may send `code` in a close frame: 1000–1003, 1007–1014 and 3000–4999.
    package static func isValidCloseCode(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }
}
