/// A table of a report page: a header row and rows of cells, each row optionally coloured.
public struct HTMLTable: Sendable, Hashable {
    /// One row: its cells, and its tone if it says how something went.
    public struct Row: Sendable, Hashable {
        public var cells: [HTML]
        public var tone: HTMLTone?

        public init(_ cells: [HTML], tone: HTMLTone? = nil) {
            self.cells = cells
            self.tone = tone
        }

        /// A row of plain text cells.
        public init(text: [String], tone: HTMLTone? = nil) {
            self.init(text.map { HTML($0) }, tone: tone)
        }
    }

    public var header: [String]
    public var rows: [Row]
    /// The `id` of the `<table>`, for links and tests; `nil` for none.
    public var id: String?

    public init(header: [String], rows: [Row], id: String? = nil) {
        self.header = header
        self.rows = rows
        self.id = id
    }

    public var html: HTML {
        let head = HTML("thead", HTML("tr", content: header.map { HTML("th", HTML($0)) }))
        let body = HTML(
            "tbody",
            content: rows.map { row in
                let cells = row.cells.map { HTML("td", $0) }
                return row.tone.map { HTML("tr", attributes: ["class": $0.rawValue], content: cells) }
                    ?? HTML("tr", content: cells)
            }
        )
        return id.map { HTML("table", attributes: ["id": $0], head, body) } ?? HTML("table", head, body)
    }
}
