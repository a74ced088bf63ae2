import ChorusHistory

extension HistoryStoreError {
    /// Runs a backend operation, turning whatever it throws into a ``HistoryStoreError`` (the
    /// protocol's one error: nothing was applied, a 5xx to the API).
    static func wrapping<T>(
        _ operation: String,
        _ body: () async throws -> T
    ) async throws(HistoryStoreError) -> T {
        do {
            return try await body()
        } catch let error as HistoryStoreError {
            throw error
        } catch {
            // `String(reflecting:)`: PSQLError's plain description hides the server's message.
            throw HistoryStoreError("\(operation): \(String(reflecting: error))")
        }
    }
}
