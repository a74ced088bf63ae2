import Benchmark
import ChorusCore
import ChorusProtocol

/// Tag filter benchmarks: one event's tags against the filters of 10,000 subscribers. The tags are
/// prepared (``EventTags``) once per event where the event is published, before fan-out.
///
/// `filter.*.10k` evaluate a compiled filter once per subscriber, 10,000 full evaluations (the
/// subscribers hold 100 distinct filters, subscribers with equal filters sharing one compiled
/// filter as they do in the server): the figure to set beside the published 112 µs / 924 µs. The
/// shard never needs that many evaluations — it evaluates each distinct filter once per event and
/// looks `eq` filters up by tag — which `filter.shard.*` measure.
func filterBenchmarks() {
    let subscribers = 10_000
    let tags = EventTags(FilterSamples.eventTags)

    let simpleFilters = (0..<100).map { CompiledTagFilter(FilterSamples.simple(symbol: $0)) }
    let simple = (0..<subscribers).map { simpleFilters[$0 % 100] }
    Benchmark("filter.simple.10k") { benchmark in
        var matched = 0
        benchmark.startMeasurement()
        for filter in simple where filter.matches(tags) { matched &+= 1 }
        benchmark.stopMeasurement()
        blackHole(matched)
    }

    let complexFilters = (0..<100).map { CompiledTagFilter(FilterSamples.complex(symbol: $0)) }
    let complex = (0..<subscribers).map { complexFilters[$0 % 100] }
    Benchmark("filter.complex.10k") { benchmark in
        var matched = 0
        benchmark.startMeasurement()
        for filter in complex where filter.matches(tags) { matched &+= 1 }
        benchmark.stopMeasurement()
        blackHole(matched)
    }

    // The shard's way: 10,000 subscribers of one channel, each with a filter over 100 symbols.
    filteredFanOut("filter.shard.simple.10k", subscribers: subscribers, filter: FilterSamples.simple)
    filteredFanOut("filter.shard.complex.10k", subscribers: subscribers, filter: FilterSamples.complex)

    // Event names: 100 name lists (found by the event's name), and 100 lists ANDed with a tag leaf.
    filteredFanOut("filter.events.shard.names.10k", subscribers: subscribers, filter: FilterSamples.names)
    filteredFanOut("filter.events.shard.namesAndTags.10k", subscribers: subscribers, filter: FilterSamples.namesAndTags)
}

/// One tagged event, through the server's publish path before measurement, queued on a shard whose
/// subscribers all have the filter `filter(i % 100)`.
func filteredFanOut(_ name: String, subscribers: Int, filter: @escaping (Int) -> TagFilter) {
    filteredFanOut(name, subscribers: subscribers) { SubscriptionPredicate(tags: filter($0)) }
}

/// One tagged event named `price-update`, as ``filteredFanOut(_:subscribers:filter:)``, with
/// subscribers whose filters may list event names.
func filteredFanOut(_ name: String, subscribers: Int, filter: @escaping (Int) -> SubscriptionPredicate) {
    var fixture: (shard: FanOutFixture, batch: [OutboundEvent])?
    Benchmark(name) { benchmark in
        let current =
            fixture
            ?? {
                let shard = FanOutFixture(subscribers: subscribers, channels: ["market-0"]) { filter($0 % 100) }
                return (shard, shard.batch([SampleEvent.event(number: 0, tags: FilterSamples.eventTags)]))
            }()
        fixture = current
        current.shard.drain()
        benchmark.startMeasurement()
        current.shard.enqueue(current.batch)
        benchmark.stopMeasurement()
    }
}

/// Filters and tags shaped like a market-data feed: 100 symbols, trades and quotes.
enum FilterSamples {
    static let eventTags = ["type": "trade", "symbol": "S42", "price": "123.5", "venue": "lp-3"]

    /// Two event names, one of them the sample event's for every tenth list.
    static func names(list: Int) -> SubscriptionPredicate {
        SubscriptionPredicate(events: ["trade-\(list)", list % 10 == 0 ? "price-update" : "quote-\(list)"])
    }

    /// ``names(list:)`` ANDed with ``simple(symbol:)``.
    static func namesAndTags(list: Int) -> SubscriptionPredicate {
        SubscriptionPredicate(events: names(list: list).events, tags: simple(symbol: list))
    }

    static func simple(symbol: Int) -> TagFilter {
        .compare(key: "symbol", comparison: .eq, values: ["S\(symbol)"])
    }

    /// Six leaves: trades of two symbols at a price, or quotes not halted, from an `lp-` venue.
    static func complex(symbol: Int) -> TagFilter {
        .and([
            .or([
                .and([
                    .compare(key: "type", comparison: .eq, values: ["trade"]),
                    .compare(key: "symbol", comparison: .in, values: ["S\(symbol)", "S\((symbol + 1) % 100)"]),
                    .compare(key: "price", comparison: .gte, values: ["100"]),
                ]),
                .and([
                    .compare(key: "type", comparison: .eq, values: ["quote"]),
                    .not(.compare(key: "halted", comparison: .ex, values: [])),
                ]),
            ]),
            .compare(key: "venue", comparison: .sw, values: ["lp-"]),
        ])
    }
}
