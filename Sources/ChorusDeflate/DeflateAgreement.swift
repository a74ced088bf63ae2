/// The `permessage-deflate` parameters a server agreed to for one connection (RFC 7692).
///
/// The server always compresses each message on its own (`server_no_context_takeover`), so one
/// compressed frame is valid for every subscriber that agreed to the same terms, and it asks the
/// client to do the same (`client_no_context_takeover`, allowed even when the client did not offer
/// it), so inflating a client message needs no state kept between messages.
public struct DeflateAgreement: Sendable, Hashable {
    /// Whether the accepted offer named `server_max_window_bits` (the answer must then name it too).
    public var echoesServerWindowBits: Bool

    /// The value of the `Sec-WebSocket-Extensions` response header.
    public var responseHeaderValue: String {
        var value = "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
        if echoesServerWindowBits { value += "; server_max_window_bits=\(DeflateAgreement.windowBits)" }
        return value
    }

    /// The window the server compresses with: zlib's largest, which every client accepts unless it
    /// offered a smaller `server_max_window_bits` (such offers are declined).
    public static let windowBits = 15

    /// The first acceptable `permessage-deflate` offer among the `Sec-WebSocket-Extensions` header
    /// values a client sent, or `nil` when none is (no offer, only malformed offers, or only offers
    /// that limit the server's window below 15 bits).
    public static func accepting(offers headerValues: [String]) -> DeflateAgreement? {
        for offer in headerValues.flatMap(ExtensionOffer.parse) where offer.name == "permessage-deflate" {
            if let agreement = accepting(offer) { return agreement }
        }
        return nil
    }

    private static func accepting(_ offer: ExtensionOffer) -> DeflateAgreement? {
        var seen = Set<String>()
        var echoesServerWindowBits = false
        for (name, value) in offer.parameters {
            guard seen.insert(name).inserted else { return nil }
            switch name {
            case "server_no_context_takeover", "client_no_context_takeover":
                guard value == nil else { return nil }
            case "server_max_window_bits":
                guard let value, let bits = Int(value), bits == windowBits else { return nil }
                echoesServerWindowBits = true
            case "client_max_window_bits":
                if let value {
                    guard let bits = Int(value), (8...15).contains(bits) else { return nil }
                }
            default:
                return nil
            }
        }
        return DeflateAgreement(echoesServerWindowBits: echoesServerWindowBits)
    }
}

/// One extension of a `Sec-WebSocket-Extensions` header: its name and `; name[=value]` parameters.
struct ExtensionOffer: Hashable {
    var name: String
    var parameters: [(String, String?)]

    static func == (lhs: ExtensionOffer, rhs: ExtensionOffer) -> Bool {
        lhs.name == rhs.name && lhs.parameters.elementsEqual(rhs.parameters) { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        for (name, value) in parameters {
            hasher.combine(name)
            hasher.combine(value)
        }
    }

    /// The offers of one header value, in order (`a; p=1, b` is two offers).
    static func parse(_ headerValue: String) -> [ExtensionOffer] {
        headerValue.split(separator: ",").compactMap { element in
            let parts = element.split(separator: ";").map { $0.trimmingWhitespace() }
            guard let name = parts.first, !name.isEmpty else { return nil }
            let parameters = parts.dropFirst().map { part -> (String, String?) in
                guard let equals = part.firstIndex(of: "=") else { return (part.lowercased(), nil) }
                let key = String(part[..<equals]).trimmingWhitespace().lowercased()
                var value = String(part[part.index(after: equals)...]).trimmingWhitespace()
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                    value = String(value.dropFirst().dropLast())
                }
                return (key, value)
            }
            return ExtensionOffer(name: name.lowercased(), parameters: parameters)
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
