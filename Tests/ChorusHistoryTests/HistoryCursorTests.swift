import ChorusHistory
import ChorusProtocol
import Testing

@Suite("History cursors: opaque, signed, bound to their query")
struct HistoryCursorTests {
    let signer = HMACSigner(secret: "secret")
    let channel = ChannelRef(appID: "1", channel: "hist-a")
    let bounds = HistoryBounds(startSerial: 3, endSerial: 90)

    func issue(position: Int64 = 42) -> String {
        HistoryCursor(channel: channel, scope: .history(bounds), direction: .newestFirst, position: position)
            .encoded(signer: signer)
    }

    func decode(
        _ text: String,
        signer: HMACSigner? = nil,
        channel: ChannelRef? = nil,
        scope: HistoryCursor.Scope? = nil,
        direction: PageDirection = .newestFirst
    ) throws(HistoryRequestError) -> Int64 {
        try HistoryCursor.position(
            of: text,
            signer: signer ?? self.signer,
            channel: channel ?? self.channel,
            scope: scope ?? .history(bounds),
            direction: direction
        )
    }

    @Test("an issued cursor decodes to its position, and is URL-safe")
    func roundTrip() throws {
        let text = issue()
        #expect(try decode(text) == 42)
        #expect(text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
    }

    @Test("every modified character is refused as invalid_cursor")
    func tampered() {
        let text = Array(issue())
        for index in text.indices {
            var modified = text
            modified[index] = modified[index] == "A" ? "B" : "A"
            let error = #expect(throws: HistoryRequestError.self) { try decode(String(modified)) }
            #expect(error?.code == .invalidCursor)
        }
    }

    @Test("a cursor of another channel, app, direction, bounds or scope is refused")
    func foreign() {
        let text = issue()
        let others: [(ChannelRef?, HMACSigner?, HistoryCursor.Scope?, PageDirection)] = [
            (ChannelRef(appID: "1", channel: "hist-b"), nil, nil, .newestFirst),
            (ChannelRef(appID: "2", channel: "hist-a"), nil, nil, .newestFirst),
            (nil, HMACSigner(secret: "other"), nil, .newestFirst),
            (nil, nil, nil, .oldestFirst),
            (nil, nil, .history(HistoryBounds(startSerial: 3)), .newestFirst),
            (nil, nil, .versions(messageSerial: "m"), .newestFirst),
        ]
        for (channel, signer, scope, direction) in others {
            let error = #expect(throws: HistoryRequestError.self) {
                try decode(text, signer: signer, channel: channel, scope: scope, direction: direction)
            }
            #expect(error?.code == .invalidCursor)
        }
    }

    @Test("garbage is refused", arguments: ["", ".", "abc", "a.b.c", "!!!.???", String(repeating: "A", count: 10_000)])
    func garbage(text: String) {
        let error = #expect(throws: HistoryRequestError.self) { try decode(text) }
        #expect(error?.code == .invalidCursor)
    }
}
