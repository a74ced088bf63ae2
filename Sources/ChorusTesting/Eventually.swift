/// Waits until `condition` holds, checking every 10 ms, and fails after `timeout`: how a live test
/// waits for what it asserts instead of sleeping a fixed time.
package func eventually(
    _ what: @autoclosure () -> String,
    timeout: Duration = .seconds(5),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while !(try await condition()) {
        guard ContinuousClock.now < deadline else { throw NotInTime(what: what()) }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// A condition a test waited for did not come about in time.
package struct NotInTime: Error, CustomStringConvertible {
    package var what: String
    package var description: String { "not in time: \(what)" }
}
