import ChorusLoad
import Testing

/// What deliveries fail a run: loss, duplicates and disorder, each unless the scenario expects it.
@Suite struct ReportVerdictTests {
    private func counts(unique: Int64, duplicates: Int64 = 0, outOfOrder: Int64 = 0) -> DeliveryCounts {
        var counts = DeliveryCounts()
        counts.received = unique + duplicates
        counts.unique = unique
        counts.duplicates = duplicates
        counts.outOfOrder = outOfOrder
        return counts
    }

    @Test func everythingDeliveredInOrderPasses() {
        let scenario = Scenario(name: "x", workloads: [Workload(subscribers: 10)], length: .events(10))
        #expect(ReportBuilder.deliveryFailures(counts(unique: 100), expected: 100, scenario: scenario).isEmpty)
    }

    @Test func disorderWithoutLossFailsTheRun() {
        let scenario = Scenario(name: "x", workloads: [Workload(subscribers: 10)], length: .events(10))
        let failures = ReportBuilder.deliveryFailures(
            counts(unique: 100, outOfOrder: 3),
            expected: 100,
            scenario: scenario
        )
        #expect(failures == ["3 deliveries out of order on their channel"])
    }

    @Test func disorderIsAcceptedWhenTheScenarioExpectsIt() {
        let scenario = Scenario(
            name: "x",
            workloads: [Workload(subscribers: 10)],
            length: .events(10),
            expectReorder: true
        )
        #expect(
            ReportBuilder.deliveryFailures(counts(unique: 100, outOfOrder: 3), expected: 100, scenario: scenario)
                .isEmpty
        )
    }

    @Test func expectingLossDoesNotExcuseDisorder() {
        let scenario = Scenario(
            name: "x",
            workloads: [Workload(subscribers: 10)],
            length: .events(10),
            expectLoss: true
        )
        let failures = ReportBuilder.deliveryFailures(
            counts(unique: 90, outOfOrder: 1),
            expected: 100,
            scenario: scenario
        )
        #expect(failures == ["1 deliveries out of order on their channel"])
    }
}
