package import ChorusProtocol

/// How a channel's events are grouped into delta chains: by the value at `path` in the event's data
/// (e.g. `asset`, or `quote.symbol`), one chain per value, at most `maximumKeys` remembered.
package struct ConflationRule: Sendable, Hashable {
    /// The dotted path of the key in the event's data.
    package let path: String
    package let maximumKeys: Int
    /// `path` split at its dots, once.
    private let components: [Substring]

    package init(path: String, maximumKeys: Int) {
        self.path = path
        self.maximumKeys = maximumKeys
        self.components = path.split(separator: ".")
    }

    /// The conflation key of an event with `data` (a JSON object, or a string holding one): the
    /// text of the scalar at `path`; "" when there is none (such events share one chain). A string
    /// is scanned in place (``JSONPathLookup``), never decoded into a tree.
    package func key(in data: JSONValue?) -> String {
        switch data {
        case .string(let text)?:
            return JSONPathLookup.scalarText(at: components, in: text) ?? ""
        case let value?:
            var value: JSONValue? = value
            for component in components { value = value?[String(component)] }
            return value?.scalarText ?? ""
        case nil:
            return ""
        }
    }
}
