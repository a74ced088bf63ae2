import ChorusLoad
import Testing

/// Several servers for one run: addresses, the scenario's `targets`/`publish_target`, the command
/// line over the scenario, and which server each connection goes to.
@Suite struct TargetsTests {
    private let parser = ScenarioParser(source: "test.yaml")

    @Test(arguments: [
        ("127.0.0.1:6101", "127.0.0.1", 6101),
        ("ws://localhost:6001", "localhost", 6001),
        ("http://127.0.0.1:6102/", "127.0.0.1", 6102),
        ("WS://node-1.internal:80", "node-1.internal", 80),
        ("[::1]:6001", "::1", 6001),
    ])
    func addressesParse(text: String, host: String, port: Int) throws {
        #expect(try ServerAddress(parsing: text) == ServerAddress(host: host, port: port))
    }

    @Test(arguments: ["wss://127.0.0.1:6001", "HTTPS://127.0.0.1:6001/"])
    func tlsAddressesParse(text: String) throws {
        #expect(try ServerAddress(parsing: text) == ServerAddress(host: "127.0.0.1", port: 6001, tls: true))
    }

    @Test(arguments: [
        ("127.0.0.1", "no port"),
        ("127.0.0.1:0", "1 to 65535"),
        ("127.0.0.1:http", "1 to 65535"),
        (":6001", "must name a host"),
        ("ftp://127.0.0.1:6001", "ws://, http://, wss:// or https://"),
        ("ws://127.0.0.1:6001/app/key", "without a path"),
        ("::1:6001", "in brackets"),
    ])
    func badAddressesSayWhy(text: String, reason: String) {
        #expect {
            try ServerAddress(parsing: text)
        } throws: { error in
            "\(error)".contains("'\(text)' is not a server address") && "\(error)".contains(reason)
        }
    }

    @Test func scenarioTargetsAndPublishTarget() throws {
        let scenario = try parser.parse(
            """
            name: cluster
            subscribers: 30
            events: 10
            targets: [127.0.0.1:6101, 'ws://127.0.0.1:6102', http://127.0.0.1:6103]
            publish_target: 2
            """
        )
        #expect(scenario.targets?.map(\.port) == [6101, 6102, 6103])
        #expect(scenario.publishTarget == 2)
        let single = try parser.parse("name: one\nsubscribers: 1\nevents: 1\ntargets: 127.0.0.1:6101\n")
        #expect(single.targets == [ServerAddress(host: "127.0.0.1", port: 6101)])
        let plain = try parser.parse("name: one\nsubscribers: 1\nevents: 1\n")
        #expect(plain.targets == nil && plain.publishTarget == nil)
    }

    @Test(arguments: [
        ("targets: []", "field 'targets': must not be an empty list"),
        ("targets: [127.0.0.1:6101, 'localhost']", "field 'targets[1]': 'localhost' is not a server address"),
        ("targets: 'ws://x:99999'", "field 'targets': 'ws://x:99999' is not a server address"),
        ("targets: [{host: x}]", "field 'targets': must be a text or a list of texts"),
        (
            "targets: [127.0.0.1:6101]\npublish_target: 1",
            "field 'publish_target': must be an index into targets, from 0 to 0, got 1"
        ),
        ("publish_target: -1", "field 'publish_target': must be an index (from 0) into the targets, got -1"),
    ])
    func badScenarioTargetsAreNamed(fields: String, message: String) {
        #expect {
            try parser.parse("name: cluster\nsubscribers: 3\nevents: 1\n\(fields)\n")
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func commandLineWinsOverTheScenario() throws {
        let scenario = Scenario(
            name: "cluster",
            workloads: [Workload(subscribers: 3)],
            length: .events(1),
            targets: [ServerAddress(host: "127.0.0.1", port: 6101), ServerAddress(host: "127.0.0.1", port: 6102)],
            publishTarget: 1
        )
        func target(_ choice: TargetChoice) throws -> LoadTarget {
            try choice.target(for: scenario, appID: "1", key: "k", secret: "s")
        }
        let fromScenario = try target(TargetChoice())
        #expect(fromScenario.addresses.map(\.port) == [6101, 6102])
        #expect(fromScenario.publishAddress.port == 6102)
        let fromTargets = try target(
            TargetChoice(targets: ["127.0.0.1:7001", "ws://127.0.0.1:7002"], publishTarget: 0)
        )
        #expect(fromTargets.addresses.map(\.port) == [7001, 7002])
        #expect(fromTargets.publishAddress.port == 7001)
        let fromPort = try target(TargetChoice(port: 7005, publishTarget: 0))
        #expect(fromPort.addresses == [ServerAddress(host: "127.0.0.1", port: 7005)])
        let plain = Scenario(name: "plain", workloads: [Workload(subscribers: 1)], length: .events(1))
        let byDefault = try TargetChoice().target(for: plain, appID: "1", key: "k", secret: "s")
        #expect(byDefault.addresses == [TargetChoice.defaultAddress])
    }

    @Test func commandLineMistakesAreClear() {
        let scenario = Scenario(name: "plain", workloads: [Workload(subscribers: 1)], length: .events(1))
        func fails(_ choice: TargetChoice, with expected: LoadTargetError) {
            #expect(throws: expected) { try choice.target(for: scenario, appID: "1", key: "k", secret: "s") }
        }
        fails(
            TargetChoice(targets: ["127.0.0.1:1", "127.0.0.1:2"], publishTarget: 2),
            with: .publishTargetOutOfRange(2, count: 2)
        )
        fails(TargetChoice(publishTarget: 1), with: .publishTargetOutOfRange(1, count: 1))
        fails(TargetChoice(targets: ["127.0.0.1:1"], host: "localhost"), with: .targetWithHostOrPort)
        #expect {
            try TargetChoice(targets: ["127.0.0.1:1", "nowhere"]).target(
                for: scenario,
                appID: "1",
                key: "k",
                secret: "s"
            )
        } throws: { error in
            "\(error)" == "--target 'nowhere' is not a server address: must be host:port (no port given)"
        }
        #expect(throws: LoadTargetError.noTargets) {
            try LoadTarget(addresses: [], appID: "1", key: "k", secret: "s")
        }
        #expect("\(LoadTargetError.publishTargetOutOfRange(3, count: 3))".contains("numbered from 0 to 2"))
    }

    @Test func eachChannelGoesRoundRobinAndSendersToThePublishServer() throws {
        let scenario = Scenario(
            name: "spread",
            workloads: [
                Workload(name: "fanout", subscribers: 5),
                Workload(name: "rooms", subscribers: 6, channels: 3),
                Workload(
                    name: "chat",
                    subscribers: 4,
                    channels: 2,
                    channelKind: .private,
                    eventName: "client-load",
                    clientEvents: Scenario.ClientEvents(ratePerSender: 1)
                ),
            ],
            length: .events(1)
        )
        let addresses = [6101, 6102, 6103].map { ServerAddress(host: "127.0.0.1", port: $0) }
        let target = try LoadTarget(addresses: addresses, publishIndex: 2, appID: "1", key: "k", secret: "s")
        let plans = ConnectionPlan.plans(for: scenario, key: "k", secret: "s")
        let chosen = plans.map { target.addressIndex(of: $0) }
        // One channel: plain round robin. Three channels on three servers: channel c's k-th
        // subscriber on server (k + c) mod 3, so no channel stays on one server. Chat: its first
        // two subscribers send the client events, so they publish where HTTP would (server 2).
        #expect(chosen == [0, 1, 2, 0, 1] + [0, 1, 2, 1, 2, 0] + [2, 2, 1, 2])
        let rooms = plans[5..<11]
        for channel in 0..<3 {
            #expect(Set(rooms.filter { $0.channelIndex == channel }.map { target.addressIndex(of: $0) }).count == 2)
        }
    }
}
