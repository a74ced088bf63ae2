import Foundation

extension ResultsDirectory {
    /// Writes the page (`.html`) of every run report under the root that has none, from its JSON
    /// alone, then both indexes (`chorus load index`); returns how many pages it wrote. Pages that
    /// exist are kept: a run's own page may carry its comparison with a baseline, which its JSON
    /// does not record.
    @discardableResult
    public func writeMissingPages() throws -> Int {
        var written = 0
        for (path, report) in reports() {
            let page = "\(root)/\(Self.pagePath(of: path))"
            guard !FileManager.default.fileExists(atPath: page) else { continue }
            try HTMLSummary(report: report).document.write(toFile: page, atomically: true, encoding: .utf8)
            written += 1
        }
        try writeIndex()
        return written
    }

    /// `index.html`: every run with its verdict, linking to its page, or to its JSON when it has no
    /// page yet (a committed baseline before `chorus load index` ran).
    func writeHTMLIndex(_ reports: [(path: String, report: LoadReport)]) throws {
        let entries = reports.map { path, report in
            let page = Self.pagePath(of: path)
            let exists = FileManager.default.fileExists(atPath: "\(root)/\(page)")
            return ResultsIndex.Entry(path: path, link: exists ? page : path, report: report)
        }
        try ResultsIndex(entries: entries).document.write(
            toFile: "\(root)/index.html",
            atomically: true,
            encoding: .utf8
        )
    }

    /// A report's page beside it: `smoke/20250101T000000Z.json` → `smoke/20250101T000000Z.html`.
    static func pagePath(of jsonPath: String) -> String {
        (jsonPath.hasSuffix(".json") ? String(jsonPath.dropLast(5)) : jsonPath) + ".html"
    }
}
