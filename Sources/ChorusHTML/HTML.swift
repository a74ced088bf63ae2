/// A fragment of HTML markup: text is escaped when a fragment is made from it, so a value of this
/// type is always safe to put in a page.
///
/// The one place the tools' HTML reports escape text (`chorus load`'s run pages and index,
/// `chorus conform`'s case page); ``HTMLPage`` wraps fragments into a document.
public struct HTML: Sendable, Hashable {
    /// The markup, ready to go into a page.
    public let markup: String

    /// Text shown as it is: `&`, `<`, `>` and quotes are escaped.
    public init(_ text: String) {
        markup = Self.escaped(text)
    }

    /// Markup this program made itself and trusts, e.g. an SVG plot whose text it escaped.
    public init(markup: String) {
        self.markup = markup
    }

    /// `<name attributes>content</name>`; attribute values are escaped.
    public init(_ name: String, attributes: KeyValuePairs<String, String> = [:], _ content: HTML...) {
        self.init(name, attributes: attributes, content: content)
    }

    /// `<name attributes>content</name>` with the content given as a list.
    public init(_ name: String, attributes: KeyValuePairs<String, String> = [:], content: [HTML]) {
        let attributeText = attributes.map { " \($0.key)=\"\(Self.escaped($0.value))\"" }.joined()
        markup = "<\(name)\(attributeText)>\(content.map(\.markup).joined())</\(name)>"
    }

    /// A link to `href` showing `text`.
    public static func link(_ text: String, to href: String) -> HTML {
        HTML("a", attributes: ["href": href], HTML(text))
    }

    /// A word that says how something went (`pass`, `FAIL`, …), coloured by `tone`.
    public static func verdict(_ text: String, _ tone: HTMLTone) -> HTML {
        HTML("span", attributes: ["class": "verdict \(tone.rawValue)"], HTML(text))
    }

    /// Sections side by side while the page is wide enough, one under the other when it is not.
    public static func columns(_ sections: [HTML]) -> HTML {
        HTML("div", attributes: ["class": "columns"], content: sections.map { HTML("section", $0) })
    }

    /// A checkbox that hides the rows marked ``HTMLTone/pass`` of every table after it among its
    /// siblings, with no script (the page's style sheet does it).
    public static func hidePassedToggle(id: String, label: String) -> HTML {
        HTML(markup: #"<input type="checkbox" class="hide-passed" id="\#(escaped(id))"> "#)
            + HTML("label", attributes: ["for": id], HTML(label))
    }

    /// Fragments one after the other.
    public static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(markup: lhs.markup + rhs.markup) }

    /// Text safe in element content and in a double- or single-quoted attribute value. Control
    /// characters other than tab, newline and carriage return, which HTML does not allow, become
    /// U+FFFD.
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value): out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
