import ChorusProtocol
import Foundation

/// Replaces `${name}` references in case values with run variables.
///
/// A string that is exactly one reference takes the variable's value as it is (an array stays an
/// array); references inside longer strings are replaced by the value's text.
/// `${channel_auth:SOCKET:CHANNEL}` is the main app's `auth` for that subscription, where SOCKET is
/// a connection name (its socket id is used) or a literal socket id. `${encoded:NAME}` is variable
/// NAME percent-encoded with nothing left safe (`:` → `%3A`), as the official SDKs put serials and
/// channel names into paths.
struct Substitution {
    var variables: [String: JSONValue]
    var authenticator: ChannelAuthenticator

    func apply(_ value: JSONValue) throws(StepFailure) -> JSONValue {
        switch value {
        case .string(let text):
            return try apply(text: text)
        case .array(let elements):
            var out: [JSONValue] = []
            for element in elements { out.append(try apply(element)) }
            return .array(out)
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, member) in members { out[try applyText(key)] = try apply(member) }
            return .object(out)
        default:
            return value
        }
    }

    func applyText(_ text: String) throws(StepFailure) -> String {
        let value = try apply(text: text)
        return value.scalarText ?? value.jsonText
    }

    private func apply(text: String) throws(StepFailure) -> JSONValue {
        guard text.contains("${") else { return .string(text) }
        if text.hasPrefix("${"), text.hasSuffix("}"), text.firstIndex(of: "}") == text.index(before: text.endIndex) {
            return try resolve(String(text.dropFirst(2).dropLast()))
        }
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw StepFailure("unterminated ${ in \(text)")
            }
            let value = try resolve(String(rest[start.upperBound..<end]))
            out += value.scalarText ?? value.jsonText
            rest = rest[rest.index(after: end)...]
        }
        return .string(out + rest)
    }

    private func resolve(_ name: String) throws(StepFailure) -> JSONValue {
        if name.hasPrefix("channel_auth:") {
            let parts = name.split(separator: ":", maxSplits: 2).map(String.init)
            guard parts.count == 3 else { throw StepFailure("${channel_auth:SOCKET:CHANNEL} needs both parts") }
            let socketID = variables["\(parts[1]).socket_id"]?.stringValue ?? parts[1]
            return .string(authenticator.channelAuth(socketID: socketID, channel: parts[2]))
        }
        if name.hasPrefix("encoded:") {
            let value = try resolve(String(name.dropFirst("encoded:".count)))
            return .string(QueryString.percentEncode(value.scalarText ?? value.jsonText))
        }
        guard let value = variables[name] else { throw StepFailure("unknown variable ${\(name)}") }
        return value
    }
}

/// Why a step did not go as the case says: the first mismatch, worded as expected vs got.
package struct StepFailure: Error, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
