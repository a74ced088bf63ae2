import ChorusHTML
import Testing

/// Text from reports (scenario and case names, error messages, mismatches) never breaks a page.
@Suite struct HTMLTests {
    static let hostile = #"<script>alert("x")</script> & 'quoted' <b>"#

    @Test func textIsEscaped() {
        #expect(
            HTML(Self.hostile).markup
                == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; &lt;b&gt;"
        )
        #expect(HTML("a\u{0}b\u{7}c\td\ne").markup == "a\u{FFFD}b\u{FFFD}c\td\ne")
        #expect(HTML("p99 ≤ 2 ms — ok").markup == "p99 ≤ 2 ms — ok")
    }

    @Test func attributeValuesAndContentAreEscaped() {
        let link = HTML.link(Self.hostile, to: #"a"b.html?x=1&y=2"#)
        #expect(link.markup.hasPrefix(#"<a href="a&quot;b.html?x=1&amp;y=2">&lt;script&gt;"#))
        #expect(!link.markup.contains("<script>"))
        #expect(
            HTML("p", attributes: ["id": "v"], HTML("x"), HTML(markup: "<b>y</b>")).markup
                == #"<p id="v">x<b>y</b></p>"#
        )
    }

    @Test func tablesEscapeEveryCellAndMarkRows() {
        let table = HTMLTable(
            header: ["case <name>"],
            rows: [HTMLTable.Row(text: [Self.hostile], tone: .fail), HTMLTable.Row(text: ["ok"])],
            id: "cases"
        )
        let markup = table.html.markup
        #expect(markup.hasPrefix(#"<table id="cases"><thead><tr><th>case &lt;name&gt;</th></tr></thead>"#))
        #expect(markup.contains(#"<tr class="fail"><td>&lt;script&gt;"#))
        #expect(markup.contains("<tr><td>ok</td></tr>"))
        #expect(!markup.contains("<script>"))
    }

    @Test func pageIsOneDocumentWithItsTitleEscaped() {
        let page = HTMLPage(title: Self.hostile, body: [HTML("h1", HTML(Self.hostile))]).document
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<title>&lt;script&gt;alert(&quot;x&quot;)"))
        #expect(!page.contains("<script"))
        #expect(page.contains("<style>") && !page.contains("http://") && !page.contains("https://"))
        #expect(page.hasSuffix("</html>\n"))
    }

    @Test func theToggleIsACheckboxWithItsLabel() {
        #expect(
            HTML.hidePassedToggle(id: "h", label: "only <failures>").markup
                == #"<input type="checkbox" class="hide-passed" id="h"> <label for="h">only &lt;failures&gt;</label>"#
        )
    }

    @Test func verdictsCarryTheirTone() {
        #expect(HTML.verdict("FAIL", .fail).markup == #"<span class="verdict fail">FAIL</span>"#)
    }
}
