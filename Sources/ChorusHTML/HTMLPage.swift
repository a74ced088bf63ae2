/// A whole report page: one self-contained HTML document with its style sheet inline, so it opens
/// offline from `file://` with nothing else beside it (no scripts, fonts or CDN).
public struct HTMLPage: Sendable, Hashable {
    public var title: String
    public var body: [HTML]

    public init(title: String, body: [HTML]) {
        self.title = title
        self.body = body
    }

    /// The document, UTF-8 HTML5. Its empty inline icon keeps a browser from asking for
    /// `/favicon.ico`, a failed load in the console of a page served over HTTP.
    public var document: String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escaped(title))</title>
        <link rel="icon" href="data:,">
        <style>
        \(Self.style)
        </style>
        </head>
        <body>
        \(body.map(\.markup).joined(separator: "\n"))
        </body>
        </html>

        """
    }

    private static let style = """
        body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 76rem; padding: 0 1rem; \
        color: #1b1b1b; line-height: 1.4; }
        h1 { font-size: 1.5rem; margin-bottom: 0.3rem; } h2 { font-size: 1.15rem; margin-top: 1.8rem; }
        table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.9rem; }
        th, td { border: 1px solid #d0d0d0; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
        th { background: #f2f2f2; }
        td { font-variant-numeric: tabular-nums; }
        tr.fail td { background: #fdecea; } tr.warn td { background: #fff6e0; } tr.skip td { color: #666; }
        .verdict { font-weight: 600; padding: 0.05rem 0.45rem; border-radius: 0.3rem; }
        .verdict.pass { background: #e3f4e6; color: #17632a; } .verdict.fail { background: #fbd9d5; color: #9b1c12; }
        .verdict.warn { background: #fff0c2; color: #7a5600; } .verdict.skip { background: #ececec; color: #555; }
        .columns { display: flex; flex-wrap: wrap; gap: 0 2.5rem; align-items: flex-start; }
        .columns > section { flex: 1 1 32rem; min-width: 0; }
        .plot svg { max-width: 100%; height: auto; border: 1px solid #e4e4e4; }
        code, .detail { font-family: ui-monospace, monospace; font-size: 0.85rem; overflow-wrap: break-word; }
        .detail { overflow-wrap: anywhere; }
        input.hide-passed:checked ~ table tr.pass { display: none; }
        p.meta { color: #555; }
        """
}
