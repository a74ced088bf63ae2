import Foundation
import NIOConcurrencyHelpers

/// One worker process of a `--workers` run, as its parent sees it: started from a
/// ``WorkerLaunch``, asked ``WorkerCommand``s on its standard input and answered in order on its
/// standard output (its standard error is the parent's).
///
/// Every question has a deadline: a worker that does not answer in time, answers out of turn,
/// says it ``WorkerMessage/failed(_:)`` or exits before it finished has failed for good; it is
/// killed, and every question to it, pending or later, throws ``LoadError/workerFailed(index:reason:)``.
final class WorkerProcess: Sendable {
    private struct Question {
        var id: Int
        var command: WorkerCommand?
        var answer: CheckedContinuation<WorkerMessage, any Error>
    }

    private struct State {
        var questions: [Question] = []
        var nextID = 0
        var failure: String?
        /// Whether it answered ``WorkerCommand/finish``, after which exiting is expected.
        var finished = false
    }

    let index: Int
    private let process: Process
    private let input: FileHandle
    private let state = NIOLockedValueBox(State())

    private init(index: Int, process: Process, input: FileHandle) {
        self.index = index
        self.process = process
        self.input = input
    }

    /// Starts worker `index`; its first message is the answer to ``ask(_:within:)`` with no command.
    static func start(index: Int, launch: WorkerLaunch) throws -> WorkerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launch.executable)
        process.arguments = launch.arguments(forWorker: index)
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let worker = WorkerProcess(index: index, process: process, input: input.fileHandleForWriting)
        let lines = JSONLines.lines(from: output.fileHandleForReading)
        Task {
            for await line in lines { worker.receive(line) }
            // End of file: the worker exited (or is about to).
            process.waitUntilExit()
            worker.fail(Self.exitReason(process))
        }
        return worker
    }

    /// The process id, for messages.
    var pid: Int32 { process.processIdentifier }

    /// Why the worker failed, naming it; `nil` while it has not.
    var failure: String? {
        state.withLockedValue { $0.failure }.map { "worker \(index) (pid \(pid)) failed: \($0)" }
    }

    /// Sends `command` (none: waits for the first message) and returns the answer, failing the
    /// worker when none comes within `timeout`.
    func ask(_ command: WorkerCommand?, within timeout: Duration) async throws -> WorkerMessage {
        let id = state.withLockedValue { state in
            state.nextID += 1
            return state.nextID
        }
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            expire(id, command: command, timeout: timeout)
        }
        defer { watchdog.cancel() }
        return try await withCheckedThrowingContinuation { answer in
            let refusal: String? = state.withLockedValue { state in
                if let failure = state.failure { return failure }
                if let command {
                    do {
                        try input.write(contentsOf: JSONLines.encode(command))
                    } catch {
                        return "cannot be written to: \(error)"
                    }
                }
                state.questions.append(Question(id: id, command: command, answer: answer))
                return nil
            }
            if let refusal {
                fail(refusal)
                answer.resume(throwing: LoadError.workerFailed(index: index, reason: refusal))
            }
        }
    }

    /// Waits up to `timeout` for the worker to exit after finishing, then kills it.
    func stop(within timeout: Duration) async {
        try? input.close()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        kill()
    }

    /// Ends the process at once (SIGKILL) if it still runs.
    func kill() {
        guard process.isRunning else { return }
        _ = Foundation.kill(process.processIdentifier, SIGKILL)
    }

    private func receive(_ line: Data) {
        let message: WorkerMessage
        do {
            message = try JSONLines.decode(WorkerMessage.self, from: line)
        } catch {
            fail("sent a line that is not a worker message: \(error)")
            return
        }
        if case .failed(let reason) = message {
            fail(reason)
            return
        }
        let question: Question? = state.withLockedValue { state in
            guard let first = state.questions.first, message.answers(first.command) else { return nil }
            state.questions.removeFirst()
            if case .finished = message { state.finished = true }
            return first
        }
        guard let question else {
            fail("sent a message out of turn")
            return
        }
        question.answer.resume(returning: message)
    }

    private func expire(_ id: Int, command: WorkerCommand?, timeout: Duration) {
        let pending = state.withLockedValue { $0.questions.contains { $0.id == id } }
        guard pending else { return }
        fail("did not answer '\(command?.rawValue ?? "ready")' within \(timeout)")
    }

    /// Records the first reason, kills the process and throws it to every pending question.
    private func fail(_ reason: String) {
        let (questions, failure): ([Question], String?) = state.withLockedValue { state in
            if state.finished, state.questions.isEmpty { return ([], nil) }
            state.failure = state.failure ?? reason
            defer { state.questions = [] }
            return (state.questions, state.failure)
        }
        guard let failure else { return }
        kill()
        for question in questions {
            question.answer.resume(throwing: LoadError.workerFailed(index: index, reason: failure))
        }
    }

    private static func exitReason(_ process: Process) -> String {
        switch process.terminationReason {
        case .exit: "exited with status \(process.terminationStatus)"
        case .uncaughtSignal: "was killed by signal \(process.terminationStatus)"
        @unknown default: "exited"
        }
    }
}
