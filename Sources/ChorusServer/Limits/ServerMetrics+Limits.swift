import Prometheus

extension ServerMetrics {
    /// Counts one request refused by a per-IP limit: `api_requests` or `connections`.
    func recordPerIPRefusal(limit: String) {
        registry.makeCounter(
            descriptor: .chorus("per_ip_refusals_total", help: "Requests refused by a per-IP limit, by limit"),
            labels: [("limit", limit)]
        ).increment()
    }
}
