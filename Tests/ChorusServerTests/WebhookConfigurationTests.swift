import ChorusServer
import Testing

@Suite("Webhook configuration")
struct WebhookConfigurationTests {
    @Test("targets and delivery settings are read with snake_case keys")
    func decode() throws {
        let configuration = try ConfigurationLoader.decode(
            """
            apps:
              - id: 1
                key: k
                secret: s
                subscription_count_enabled: true
                webhooks:
                  - url: http://127.0.0.1:9000/hooks
                    event_types: [channel_occupied, channel_vacated]
                    headers: {Authorization: Bearer t}
                  - url: https://example.invalid/all
                webhook_delivery:
                  batch_window_ms: 10
                  vacate_delay_ms: 200
                  request_timeout_ms: 1000
                  retry_backoff_ms: 50
                  retry_budget_ms: 500
                  queue_capacity: 64
            """,
            source: "test"
        )
        let app = configuration.apps[0]
        #expect(
            app.webhooks == [
                WebhookTarget(
                    url: "http://127.0.0.1:9000/hooks",
                    eventTypes: ["channel_occupied", "channel_vacated"],
                    headers: ["Authorization": "Bearer t"]
                ),
                WebhookTarget(url: "https://example.invalid/all"),
            ]
        )
        var expected = WebhookDeliverySettings()
        expected.batchWindowMilliseconds = 10
        expected.vacateDelayMilliseconds = 200
        expected.requestTimeoutMilliseconds = 1000
        expected.retryBackoffMilliseconds = 50
        expected.retryBudgetMilliseconds = 500
        expected.queueCapacity = 64
        #expect(app.webhookDelivery == expected)
        #expect(configuration.problems().isEmpty)
    }

    @Test("a misspelt webhook setting is an error naming it")
    func unknownKeys() {
        for text in [
            "apps: [{id: 1, key: k, secret: s, webhooks: [{url: 'http://x', event_type: [a]}]}]",
            "apps: [{id: 1, key: k, secret: s, webhook_delivery: {vacate_delay: 5}}]",
            "apps: [{id: 1, key: k, secret: s, webhook: []}]",
        ] {
            #expect {
                try ConfigurationLoader.decode(text, source: "test")
            } throws: { error in
                "\(error)".contains("unknown setting")
            }
        }
    }

    @Test("bad urls, unknown event types and out-of-range times are reported")
    func problems() throws {
        let configuration = try ConfigurationLoader.decode(
            """
            apps:
              - id: 1
                key: k
                secret: s
                webhooks: [{url: 'ftp://x', event_types: [channel_occupied, nope]}]
                webhook_delivery: {queue_capacity: 0, retry_backoff_ms: -1}
            """,
            source: "test"
        )
        let problems = configuration.problems().joined(separator: "\n")
        #expect(problems.contains("http:// or https://"))
        #expect(problems.contains("'nope'"))
        #expect(problems.contains("queue_capacity"))
        #expect(problems.contains("retry_backoff_ms"))
    }
}
