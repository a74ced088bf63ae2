import NIOCore
import NIOHTTP1

/// The console's page, script and style sheet, compiled into the binary (SwiftPM's
/// `.embedInCode`): an installed `chorus` needs no resource bundle, and the page loads nothing
/// from elsewhere.
enum ConsoleAssets {
    enum Asset: String {
        case page = "console.html"
        case script = "console.js"
        case styles = "console.css"

        var contentType: String {
            switch self {
            case .page: "text/html; charset=utf-8"
            case .script: "text/javascript; charset=utf-8"
            case .styles: "text/css; charset=utf-8"
            }
        }

        var bytes: [UInt8] {
            switch self {
            case .page: PackageResources.console_html
            case .script: PackageResources.console_js
            case .styles: PackageResources.console_css
            }
        }
    }

    /// The response serving `asset`. The page allows scripts, styles and requests of its own origin only.
    static func response(_ asset: Asset) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: asset.contentType)
        headers.add(name: "Cache-Control", value: "no-store")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        headers.add(
            name: "Content-Security-Policy",
            value: "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
        )
        return HTTPResponse(status: .ok, headers: headers, body: ByteBuffer(bytes: asset.bytes))
    }
}
