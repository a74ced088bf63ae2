package import ChorusProtocol

/// How a channel's events are grouped into delta chains: by the value at `path` in the event's data
/// (e.g. `asset`, or `quote.symbol`), one chain per value, at most `maximumKeys` remembered.
package struct ConflationRule: Sendable, Hashable {
    /// The dotted path of the key in the event's data.
    package var path: String
    package var maximumKeys: Int

    package init(path: String, maximumKeys: Int) {
        self.path = path
        self.maximumKeys = maximumKeys
    }

    /// The conflation key of an event with `data` (a JSON object, or a string holding one): the
    /// text of the scalar at `path`; "" when there is none (such events share one chain).
    package func key(in data: JSONValue?) -> String {
        var value: JSONValue? =
            switch data {
            case .string(let text)?: try? JSONValue(parsing: Array(text.utf8))
            default: data
            }
        for component in path.split(separator: ".") {
            value = value?[String(component)]
        }
        return value?.scalarText ?? ""
    }
}
