import ChorusLoad
import ChorusServer

/// The files users write: a configuration is either loaded or refused with named problems, a
/// scenario parsed or refused with an error naming its field; neither may crash.
enum TextFileFuzz {
    static func configuration(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let configuration = try? ConfigurationLoader.decode(text, source: "fuzz") else { return }
        _ = configuration.problems()
    }

    static func scenario(_ bytes: [UInt8]) {
        _ = try? ScenarioParser(source: "fuzz").parse(String(decoding: bytes, as: UTF8.self))
    }
}
