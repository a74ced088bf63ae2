import ChorusConformance
import Testing

/// The conformance page lists every case with its outcome, first mismatch and cited document.
@Suite struct ConformanceReportHTMLTests {
    @Test func everyCaseWithItsStatusAndFirstMismatch() {
        var skipped = ConformanceReportTests.result("http.<skip> & \"x\"", .must, .skipped)
        skipped.detail = "needs capability delta"
        let report = ConformanceReport(
            target: "127.0.0.1:6001 (profile chorus)",
            results: [
                ConformanceReportTests.result("ws.ping", .must, .passed),
                ConformanceReportTests.result("ws.fails", .must, .failed),
                ConformanceReportTests.result("ws.warns", .should, .failed),
                skipped,
            ]
        )
        let page = report.html
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains(#"<p id="verdict"><span class="verdict fail">FAILED</span> 4 cases"#))
        #expect(
            page.contains(
                "<table id=\"counts\"><thead><tr><th>passed</th><th>failed</th><th>failed (must)</th>"
                    + "<th>warnings (should)</th><th>notes (info)</th><th>skipped</th></tr></thead>"
                    + "<tbody><tr><td>1</td><td>2</td><td>1</td><td>1</td><td>0</td><td>1</td></tr>"
            )
        )
        #expect(
            page.contains(
                #"<tr class="pass"><td><span class="verdict pass">pass</span></td><td>must</td><td><code>ws.ping</code>"#
            )
        )
        #expect(
            page.contains(
                #"<tr class="fail"><td><span class="verdict fail">FAIL</span></td><td>must</td><td><code>ws.fails</code></td><td><span class="detail">at $.data: expected 1, got 2</span></td><td>ws.ping.pusher: pusher:ping is answered</td><td>protocol.md</td>"#
            )
        )
        #expect(page.contains(#"<tr class="warn"><td><span class="verdict warn">WARN</span></td><td>should</td>"#))
        #expect(page.contains("<code>http.&lt;skip&gt; &amp; &quot;x&quot;</code>"))
        #expect(page.contains("needs capability delta"))
        #expect(!page.contains("<skip>"))
    }
}
