package import ChorusClient
package import NIOCore
package import NIOWebSocket

/// Opens and subscribes the run's connections, a bounded number at a time, spreading them over
/// the event loops and the target's servers, and keeps their channels for commands and closing.
package struct ConnectionPool: Sendable {
    /// What opening produced.
    package struct Opened: Sendable {
        /// Channel per plan index; `nil` where that connection failed.
        var channels: [(any Channel)?]
        package var figures: ConnectFigures
    }

    package let target: LoadTarget
    /// One per server of the target, in ``LoadTarget/addresses`` order.
    package let connectors: [WebSocketConnector]
    package let path: String
    package let loops: [any EventLoop]
    package let recorders: [NIOLoopBound<LoopRecorder>]

    package init(target: LoadTarget, loops: [any EventLoop], recorders: [NIOLoopBound<LoopRecorder>]) {
        self.target = target
        self.connectors = target.addresses.map {
            var connector = WebSocketConnector(
                host: $0.host,
                port: $0.port,
                timeout: .seconds(10),
                extensionOffer: target.offersDeflate ? WebSocketConnector.deflateOffer : nil
            )
            connector.tls = target.tls
            connector.localAddress = target.sourceAddress
            return connector
        }
        self.path = WebSocketConnector.pusherPath(key: target.key)
        self.loops = loops
        self.recorders = recorders
    }

    /// Opens one connection to server `address` (an index into ``LoadTarget/addresses``) and waits
    /// for its subscription to succeed.
    package func open(_ plan: ConnectionPlan, index: Int, address: Int) async throws -> any Channel {
        let connector = connectors[address]
        let loop = loops[index % loops.count]
        let recorder = recorders[index % loops.count]
        let subscribed = loop.makePromise(of: Void.self)
        let deadline = loop.scheduleTask(in: connector.timeout) { subscribed.fail(WebSocketConnectError.timedOut) }
        subscribed.futureResult.whenComplete { _ in deadline.cancel() }
        let connected = connector.connect(path: path, on: loop) { channel in
            channel.eventLoop.makeCompletedFuture {
                let handler = SubscriberHandler(plan: plan, recorder: recorder.value, subscribed: subscribed)
                try channel.pipeline.syncOperations.addHandler(handler)
            }
        }
        connected.whenFailure { subscribed.fail($0) }
        do {
            let channel = try await connected.get()
            do {
                try await subscribed.futureResult.get()
            } catch {
                channel.close(promise: nil)
                throw error
            }
            return channel
        } catch {
            // Both futures may fail; the subscription promise must not be left pending.
            subscribed.fail(error)
            throw error
        }
    }

    /// Opens every planned connection, `concurrency` at a time, giving up after `timeout` seconds.
    package func openAll(
        _ plans: [ConnectionPlan],
        channelCounts: [Int],
        concurrency: Int,
        timeout: Double,
        progress: LoadProgress
    ) async throws -> Opened {
        let start = MonotonicClock.now()
        let deadline = start + UInt64(timeout * 1e9)
        var opened = Opened(
            channels: Array(repeating: nil, count: plans.count),
            figures: ConnectFigures(
                subscribedPerChannel: channelCounts.map { Array(repeating: 0, count: $0) },
                perAddress: Array(repeating: ConnectFigures.Share(), count: connectors.count)
            )
        )
        try await withThrowingTaskGroup(of: (Int, Result<any Channel, any Error>, UInt64).self) { group in
            var next = 0
            func addNext() {
                let index = next
                let plan = plans[index]
                next += 1
                group.addTask {
                    let began = MonotonicClock.now()
                    do {
                        let address = target.addressIndex(of: plan)
                        let channel = try await open(plan, index: index, address: address)
                        return (index, .success(channel), MonotonicClock.now() - began)
                    } catch {
                        return (index, .failure(error), MonotonicClock.now() - began)
                    }
                }
            }
            while next < min(concurrency, plans.count) { addNext() }
            while let (index, result, elapsed) = try await group.next() {
                switch result {
                case .success(let channel):
                    opened.channels[index] = channel
                    opened.figures.opened += 1
                    opened.figures.handshakes.record(nanoseconds: elapsed)
                    let plan = plans[index]
                    let address = target.addressIndex(of: plan)
                    opened.figures.perAddress[address].connections += 1
                    if plan.checked {
                        opened.figures.subscribedPerChannel[plan.workload][plan.channelIndex] += 1
                        opened.figures.perAddress[address].subscribers += 1
                    }
                    progress.connectionsOpened()
                case .failure(let error):
                    opened.figures.failures += 1
                    if opened.figures.firstError == nil { opened.figures.firstError = "\(error)" }
                }
                if MonotonicClock.now() > deadline {
                    group.cancelAll()
                    for channel in opened.channels { channel?.close(promise: nil) }
                    throw LoadError.connectTimedOut(
                        opened: opened.figures.opened,
                        wanted: plans.count,
                        seconds: timeout
                    )
                }
                if next < plans.count { addNext() }
            }
        }
        opened.figures.seconds = Double(MonotonicClock.now() - start) / 1e9
        return opened
    }
}
