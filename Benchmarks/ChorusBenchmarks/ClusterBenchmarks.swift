import Benchmark
import ChorusCluster
import ChorusCore
import NIOCore

/// What relaying one publish through Redis costs a node besides the fan-out it does anyway: the
/// publishing node encodes the envelope once, and every node decodes it once when Redis hands it
/// back (a 150 B event, as the fan-out benchmarks publish).
func clusterBenchmarks() {
    let envelope = ClusterEnvelope(
        sender: NodeID("00000000000000aa"),
        message: .events(appID: "1", events: [SampleEvent.event(number: 0)], excludingSocketID: nil)
    )
    let payload = envelope.encoded()
    Benchmark("cluster.relay.encode") { _ in
        blackHole(envelope.encoded())
    }
    Benchmark("cluster.relay.decode") { _ in
        blackHole(try ClusterEnvelope(decoding: payload))
    }
}
