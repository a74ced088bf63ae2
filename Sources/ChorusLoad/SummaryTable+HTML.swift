package import ChorusHTML

extension SummaryTable {
    /// The table as HTML. With a `verdictColumn`, that column's cells become coloured verdicts
    /// (`pass` green, anything else red) and so do their rows.
    package func html(id: String? = nil, verdictColumn: Int? = nil) -> HTML {
        let rows = rows.map { cells in
            guard let verdictColumn, cells.indices.contains(verdictColumn) else { return HTMLTable.Row(text: cells) }
            let tone: HTMLTone = cells[verdictColumn] == "pass" ? .pass : .fail
            var html = cells.map { HTML($0) }
            html[verdictColumn] = .verdict(cells[verdictColumn], tone)
            return HTMLTable.Row(html, tone: tone)
        }
        return HTMLTable(header: header, rows: rows, id: id).html
    }
}
