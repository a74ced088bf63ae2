public import ChorusProtocol
import Foundation

/// A JSON pattern as conformance cases write it, matched against what a server sent.
///
/// - Objects match when every key of the pattern matches in the value (extra keys are allowed);
///   a key whose pattern is `"$absent"` must not be there.
/// - Arrays match element by element and must have the same length.
/// - Numbers match numerically (`1` matches `1.0`).
/// - Strings starting with `$` are matchers: `$any` (present, any value), `$regex:RE` (the value,
///   or a number's decimal text, matches RE), `$type:string|number|object|array|bool|null`,
///   `$capture:NAME` (anything, remembered as NAME), `$json:JSON` or the object `{"$json": pattern}`
///   (a string holding JSON that matches the inner pattern: server→client data is double encoded),
///   `{"$unordered": [patterns]}` (an array whose elements match the patterns in some order),
///   `{"$exact": {…}}` (an object with exactly these keys, no others), `{"$json_or_object": pattern}`
///   (either form of `data`: a string holding JSON that matches, or the value itself matching).
///   `$$` escapes a literal leading `$`.
/// - Anything else must be equal.
public struct JSONPattern: Sendable {
    public let pattern: JSONValue

    public init(_ pattern: JSONValue) {
        self.pattern = pattern
    }

    /// Matches `value`; on success returns what `$capture:` matchers took, on failure the first mismatch.
    public func match(_ value: JSONValue?) -> Result<[String: JSONValue], PatternMismatch> {
        var captures: [String: JSONValue] = [:]
        if let mismatch = Self.match(pattern, value, path: "$", captures: &captures) {
            return .failure(mismatch)
        }
        return .success(captures)
    }

    private static func match(
        _ pattern: JSONValue,
        _ value: JSONValue?,
        path: String,
        captures: inout [String: JSONValue]
    ) -> PatternMismatch? {
        func mismatch(_ expected: String) -> PatternMismatch {
            PatternMismatch(path: path, expected: expected, got: value?.jsonText ?? "(absent)")
        }
        if case .string(let text) = pattern, text.hasPrefix("$"), !text.hasPrefix("$$") {
            return matchSpecial(text, value, path: path, captures: &captures)
        }
        if case .object(let members) = pattern, members.count == 1, let inner = members["$json"] {
            return matchEmbeddedJSON(inner, value, path: path, captures: &captures)
        }
        if case .object(let members) = pattern, members.count == 1, let inner = members["$exact"] {
            return matchExact(inner, value, path: path, captures: &captures)
        }
        if case .object(let members) = pattern, members.count == 1, let inner = members["$json_or_object"] {
            if case .string = value { return matchEmbeddedJSON(inner, value, path: path, captures: &captures) }
            return match(inner, value, path: path, captures: &captures)
        }
        if case .object(let members) = pattern, members.count == 1, let elements = members["$unordered"]?.arrayValue {
            return matchUnordered(elements, value, path: path, captures: &captures)
        }
        guard let value else {
            if pattern == .string("$absent") { return nil }
            return mismatch(pattern.jsonText)
        }
        switch pattern {
        case .object(let members):
            guard case .object(let actual) = value else { return mismatch("an object like \(pattern.jsonText)") }
            for key in members.keys.sorted() {
                let memberPattern = members[key]!
                let memberPath = "\(path).\(key)"
                if memberPattern == .string("$absent") {
                    if let present = actual[key] {
                        return PatternMismatch(path: memberPath, expected: "(absent)", got: present.jsonText)
                    }
                    continue
                }
                if let found = match(memberPattern, actual[key], path: memberPath, captures: &captures) {
                    return found
                }
            }
            return nil
        case .array(let elements):
            guard case .array(let actual) = value else { return mismatch("an array like \(pattern.jsonText)") }
            guard actual.count == elements.count else {
                return mismatch("\(elements.count) elements: \(pattern.jsonText)")
            }
            for (index, element) in elements.enumerated() {
                if let found = match(element, actual[index], path: "\(path)[\(index)]", captures: &captures) {
                    return found
                }
            }
            return nil
        case .integer, .double:
            guard let expected = pattern.numberValue, let actual = value.numberValue, expected == actual else {
                return mismatch(pattern.jsonText)
            }
            return nil
        case .string(let text) where text.hasPrefix("$$"):
            return value == .string(String(text.dropFirst()))
                ? nil : mismatch(JSONText.quoted(String(text.dropFirst())))
        default:
            return pattern == value ? nil : mismatch(pattern.jsonText)
        }
    }

    private static func matchSpecial(
        _ matcher: String,
        _ value: JSONValue?,
        path: String,
        captures: inout [String: JSONValue]
    ) -> PatternMismatch? {
        func mismatch(_ expected: String) -> PatternMismatch {
            PatternMismatch(path: path, expected: expected, got: value?.jsonText ?? "(absent)")
        }
        if matcher == "$absent" {
            return value == nil ? nil : mismatch("(absent)")
        }
        guard let value else { return mismatch(matcher) }
        if matcher == "$any" { return nil }
        if let name = matcher.dropPrefix("$capture:") {
            captures[name] = value
            return nil
        }
        if let expression = matcher.dropPrefix("$regex:") {
            guard let text = value.scalarText else { return mismatch("a string matching /\(expression)/") }
            guard let regex = try? NSRegularExpression(pattern: expression) else {
                return mismatch("a valid regular expression, not /\(expression)/")
            }
            let range = NSRange(text.startIndex..., in: text)
            return regex.firstMatch(in: text, range: range) == nil ? mismatch("a value matching /\(expression)/") : nil
        }
        if let type = matcher.dropPrefix("$type:") {
            return value.typeName == type ? nil : mismatch("a value of type \(type)")
        }
        if let json = matcher.dropPrefix("$json:") {
            guard let inner = try? JSONValue(parsing: json) else {
                return mismatch("a valid $json pattern, not \(json)")
            }
            return matchEmbeddedJSON(inner, value, path: path, captures: &captures)
        }
        return mismatch("a known matcher, not \(matcher)")
    }

    private static func matchUnordered(
        _ elements: [JSONValue],
        _ value: JSONValue?,
        path: String,
        captures: inout [String: JSONValue]
    ) -> PatternMismatch? {
        let expected = "\(elements.count) elements in any order: \(JSONValue.array(elements).jsonText)"
        guard case .array(var remaining)? = value, remaining.count == elements.count else {
            return PatternMismatch(path: path, expected: expected, got: value?.jsonText ?? "(absent)")
        }
        for element in elements {
            guard
                let index = remaining.firstIndex(where: { match(element, $0, path: path, captures: &captures) == nil })
            else {
                return PatternMismatch(path: path, expected: expected, got: value!.jsonText)
            }
            remaining.remove(at: index)
        }
        return nil
    }

    private static func matchExact(
        _ inner: JSONValue,
        _ value: JSONValue?,
        path: String,
        captures: inout [String: JSONValue]
    ) -> PatternMismatch? {
        guard case .object(let expected) = inner else {
            return PatternMismatch(path: path, expected: "an $exact pattern that is an object", got: inner.jsonText)
        }
        let allowed = Set(expected.filter { $0.value != .string("$absent") }.keys)
        if case .object(let actual)? = value {
            let extra = Set(actual.keys).subtracting(allowed)
            if !extra.isEmpty {
                return PatternMismatch(
                    path: path,
                    expected: "exactly the keys [\(allowed.sorted().joined(separator: ", "))]",
                    got: "extra key(s) [\(extra.sorted().joined(separator: ", "))] in \(value!.jsonText)"
                )
            }
        }
        return match(inner, value, path: path, captures: &captures)
    }

    private static func matchEmbeddedJSON(
        _ inner: JSONValue,
        _ value: JSONValue?,
        path: String,
        captures: inout [String: JSONValue]
    ) -> PatternMismatch? {
        guard case .string(let text)? = value else {
            return PatternMismatch(
                path: path,
                expected: "a string holding JSON like \(inner.jsonText)",
                got: value?.jsonText ?? "(absent)"
            )
        }
        guard let parsed = try? JSONValue(parsing: text) else {
            return PatternMismatch(path: path, expected: "a string holding JSON", got: JSONText.quoted(text))
        }
        return match(inner, parsed, path: "\(path)<json>", captures: &captures)
    }
}

/// Where a value departs from a pattern: a JSON path, what was expected there, what was there.
public struct PatternMismatch: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var expected: String
    public var got: String

    public var description: String { "at \(path): expected \(expected), got \(got)" }
}

extension JSONValue {
    fileprivate var numberValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    fileprivate var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .integer, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
