import ChorusHistory
import ChorusPush

/// A store protocol's one error (``HistoryStoreError``, ``PushStoreError``): nothing was applied,
/// a 5xx to the API.
protocol StoreError: Error {
    init(_ description: String)
}

extension HistoryStoreError: StoreError {}
extension PushStoreError: StoreError {}

extension StoreError {
    /// Runs a backend operation, turning whatever it throws into this error.
    static func wrapping<T>(
        _ operation: String,
        _ body: () async throws -> T
    ) async throws(Self) -> T {
        do {
            return try await body()
        } catch let error as Self {
            throw error
        } catch {
            // `String(reflecting:)`: PSQLError's plain description hides the server's message.
            throw Self("\(operation): \(String(reflecting: error))")
        }
    }
}
