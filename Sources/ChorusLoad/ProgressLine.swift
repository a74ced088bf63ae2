import Foundation
import NIOConcurrencyHelpers

/// Redraws one status line on standard error every second while a run goes: connections opened,
/// events sent, deliveries and deliveries per second, p99 latency of the phase so far, duplicated
/// and out-of-order deliveries so far (loss is known only once deliveries have drained). Only
/// used when standard error is a terminal and the run is not `--quiet`.
public final class ProgressLine: Sendable {
    private let progress: LoadProgress
    private let meter: any DeliveryMeter
    private let wanted: Int
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(progress: LoadProgress, meter: any DeliveryMeter, wanted: Int) {
        self.progress = progress
        self.meter = meter
        self.wanted = wanted
    }

    /// Whether standard error is a terminal.
    public static var isTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    func start() {
        let progress = progress
        let meter = meter
        let wanted = wanted
        let running = Task {
            var lastReceived: Int64 = 0
            var lastTime = MonotonicClock.now()
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 1_000_000_000)
                let counts = await meter.counts()
                let latency = await meter.latency()
                let p99 = latency.count == 0 ? "–" : Figure.text(latency.milliseconds(atPercentile: 99))
                let now = MonotonicClock.now()
                let rate = Double(counts.received - lastReceived) / (Double(now - lastTime) / 1e9)
                (lastReceived, lastTime) = (counts.received, now)
                let current = progress.current
                let line =
                    "\r\u{1B}[Kconnections \(current.connections)/\(wanted)  events sent \(current.events)  "
                    + "deliveries \(counts.received) (\(Int(rate))/s)  p99 \(p99) ms  "
                    + "duplicates \(counts.duplicates)  out of order \(counts.outOfOrder)"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        task.withLockedValue { $0 = running }
    }

    func stop() {
        guard
            let running = task.withLockedValue({ current in
                defer { current = nil }
                return current
            })
        else { return }
        running.cancel()
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
