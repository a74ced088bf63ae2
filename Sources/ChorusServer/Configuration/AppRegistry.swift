/// The configured apps, found by key (WebSocket connections) or by id (HTTP API paths).
public struct AppRegistry: Sendable {
    private let byKey: [String: AppConfiguration]
    private let byID: [String: AppConfiguration]

    public init(_ apps: [AppConfiguration]) {
        self.byKey = Dictionary(apps.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        self.byID = Dictionary(apps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func app(key: String) -> AppConfiguration? { byKey[key] }
    public func app(id: String) -> AppConfiguration? { byID[id] }
}
