import ChorusDeflate
import Testing

@Suite("permessage-deflate negotiation (RFC 7692 §7)")
struct DeflateAgreementTests {
    private let answer = "permessage-deflate; server_no_context_takeover; client_no_context_takeover"

    @Test(
        "offers the server accepts, answered without context takeover on both sides",
        arguments: [
            "permessage-deflate",
            "permessage-deflate; client_max_window_bits",  // browsers and Python websockets
            "permessage-deflate; client_max_window_bits=10",
            "permessage-deflate; client_max_window_bits=\"12\"",
            "permessage-deflate; client_no_context_takeover",
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
            "PerMessage-Deflate ;  Client_Max_Window_Bits",
        ]
    )
    func accepted(offer: String) {
        #expect(DeflateAgreement.accepting(offers: [offer])?.responseHeaderValue == answer)
    }

    @Test("an offer naming server_max_window_bits=15 is answered with it")
    func serverWindowEchoed() {
        let agreement = DeflateAgreement.accepting(offers: ["permessage-deflate; server_max_window_bits=15"])
        #expect(agreement?.responseHeaderValue == answer + "; server_max_window_bits=15")
    }

    @Test(
        "offers the server declines: the connection goes on uncompressed",
        arguments: [
            "x-webkit-deflate-frame",
            "permessage-deflate; server_max_window_bits=10",  // would need a frame per window size
            "permessage-deflate; server_max_window_bits",  // a value is required
            "permessage-deflate; client_max_window_bits=7",
            "permessage-deflate; client_max_window_bits=16",
            "permessage-deflate; client_max_window_bits=x",
            "permessage-deflate; server_no_context_takeover=1",
            "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
            "permessage-deflate; unknown_parameter",
            "",
        ]
    )
    func declined(offer: String) {
        #expect(DeflateAgreement.accepting(offers: [offer]) == nil)
    }

    @Test("the first acceptable offer wins, across list elements and header lines")
    func fallbackOffers() {
        let offers = ["permessage-deflate; server_max_window_bits=9, permessage-deflate", "other"]
        #expect(DeflateAgreement.accepting(offers: offers)?.responseHeaderValue == answer)
        #expect(DeflateAgreement.accepting(offers: ["foo", "permessage-deflate"]) != nil)
        #expect(DeflateAgreement.accepting(offers: []) == nil)
    }
}
