import ChorusCore
import ChorusProtocol
import ChorusServer
import Testing

extension PusherSessionStateMachineTests {
    /// The filter a subscribe with `data` joins with, or the refusal's message.
    static func filterOutcome(
        _ data: JSONValue,
        app: AppConfiguration = app()
    ) throws -> Result<CompiledTagFilter?, SubscriptionError> {
        var machine = try Self.machine(app: app)
        switch machine.textReceived(subscribe(data), now: start).first {
        case .join(let join)?: return .success(join.filter)
        case .refuseSubscription(_, let error)?: return .failure(error)
        default:
            Issue.record("expected a join or a refusal")
            return .success(nil)
        }
    }

    @Test("filter, tags_filter and filter {events, tags} each join with their compiled filter")
    func filterForms() throws {
        let btc = TagFilter.compare(key: "symbol", comparison: .eq, values: ["BTC"])
        let tree: JSONValue = ["key": "symbol", "cmp": "eq", "val": "BTC"]
        #expect(
            try Self.filterOutcome(["channel": "m", "filter": tree]).get()?.source == SubscriptionPredicate(tags: btc)
        )
        #expect(
            try Self.filterOutcome(["channel": "m", "tags_filter": tree]).get()?.source
                == SubscriptionPredicate(tags: btc)
        )
        let compound = try Self.filterOutcome(["channel": "m", "filter": ["events": ["trade"], "tags": tree]]).get()
        #expect(compound?.source == SubscriptionPredicate(events: ["trade"], tags: btc))
        #expect(try Self.filterOutcome(["channel": "m", "filter": ["events": []]]).get() == nil)
    }

    @Test("the subscription remembers whether its filter lists event names")
    func remembersEventNames() throws {
        var machine = try Self.machine()
        _ = try Self.join(&machine, ["channel": "a", "filter": ["events": ["trade"]]])
        _ = try Self.join(&machine, ["channel": "b", "tags_filter": ["key": "k", "cmp": "ex"]])
        #expect(machine.subscriptions["a"]?.filtersEventNames == true)
        #expect(machine.subscriptions["b"]?.filtersEventNames == false)
    }

    @Test("every form is refused on presence channels and when the app disables filtering")
    func filterRefusals() throws {
        let channelData = #"{"user_id":"alice"}"#
        let auth = Self.authenticator.channelAuth(
            socketID: Self.socketID,
            channel: "presence-x",
            channelData: channelData
        )
        let presence: JSONValue = [
            "channel": "presence-x", "auth": .string(auth), "channel_data": .string(channelData),
        ]
        for (member, value) in [
            ("filter", ["key": "k", "cmp": "ex"]), ("tags_filter", ["key": "k", "cmp": "ex"]),
            ("filter", ["events": ["trade"]]),
        ] as [(String, JSONValue)] {
            var data = presence.objectValue ?? [:]
            data[member] = value
            #expect(
                throws: SubscriptionError.invalidFilter("Tag filters are not supported on presence channels")
            ) { try Self.filterOutcome(.object(data)).get() }
            let disabled = Self.app { $0.tagFilteringEnabled = false }
            #expect(throws: SubscriptionError.invalidFilter("Tag filtering is disabled for this app")) {
                try Self.filterOutcome(["channel": "m", member: value], app: disabled).get()
            }
        }
        #expect(
            throws: SubscriptionError.invalidFilter(
                "Invalid filter: filter.expression: expression filters are not supported (filter by events and tags instead)"
            )
        ) { try Self.filterOutcome(["channel": "m", "filter": ["expression": "a"]]).get() }
    }
}
