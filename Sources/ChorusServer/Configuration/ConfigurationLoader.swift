import Foundation
import Yams

/// Reads a server configuration from a YAML or JSON file (JSON is YAML), then applies environment
/// overrides. Anything unreadable or invalid is an error that names the problem; there is no
/// silent fallback to defaults.
public enum ConfigurationLoader {
    /// Environment variables that override the file (or the embedded default).
    public static let environmentKeys = [
        "CHORUS_HOST", "CHORUS_PORT", "CHORUS_APP_ID", "CHORUS_APP_KEY", "CHORUS_APP_SECRET", "CHORUS_CONSOLE_TOKEN",
    ]

    /// The configuration in `path` (or the embedded default when `nil`), with `environment` applied.
    public static func load(
        path: String?,
        environment: [String: String]? = nil
    ) throws(ConfigurationError) -> ServerConfiguration {
        let environment = environment ?? ProcessInfo.processInfo.environment
        var configuration = ServerConfiguration.embeddedDefault
        if let path {
            configuration = try decode(contentsOf: path)
        }
        try apply(environment, to: &configuration)
        let problems = configuration.problems()
        guard problems.isEmpty else { throw ConfigurationError(source: path ?? "defaults", problems: problems) }
        return configuration
    }

    /// Parses configuration text (YAML or JSON).
    public static func decode(_ text: String, source: String) throws(ConfigurationError) -> ServerConfiguration {
        do {
            return try YAMLDecoder().decode(ServerConfiguration.self, from: text)
        } catch let error as DecodingError {
            throw ConfigurationError(source: source, problems: [describe(error)])
        } catch {
            throw ConfigurationError(source: source, problems: ["not valid YAML or JSON: \(error)"])
        }
    }

    private static func decode(contentsOf path: String) throws(ConfigurationError) -> ServerConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(source: path, problems: ["cannot read the file: \(error.localizedDescription)"])
        }
        return try decode(text, source: path)
    }

    private static func apply(
        _ environment: [String: String],
        to configuration: inout ServerConfiguration
    ) throws(ConfigurationError) {
        if let host = environment["CHORUS_HOST"] { configuration.host = host }
        if let token = environment["CHORUS_CONSOLE_TOKEN"] { configuration.consoleToken = token }
        if let port = environment["CHORUS_PORT"] {
            guard let value = Int(port) else {
                throw ConfigurationError(source: "CHORUS_PORT", problems: ["not a number: \(port)"])
            }
            configuration.port = value
        }
        let appKeys = ["CHORUS_APP_ID", "CHORUS_APP_KEY", "CHORUS_APP_SECRET"].filter { environment[$0] != nil }
        if configuration.apps.isEmpty, let key = appKeys.first {
            throw ConfigurationError(source: key, problems: ["the configuration names no app to override"])
        }
        if let id = environment["CHORUS_APP_ID"] { configuration.apps[0].id = id }
        if let key = environment["CHORUS_APP_KEY"] { configuration.apps[0].key = key }
        if let secret = environment["CHORUS_APP_SECRET"] { configuration.apps[0].secret = secret }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? "top level" : path
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context)): missing required setting '\(key.stringValue)'"
        case .typeMismatch(let type, let context):
            return "\(path(context)): expected \(type) (\(context.debugDescription))"
        case .valueNotFound(let type, let context):
            return "\(path(context)): expected a \(type), found nothing"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// An unusable configuration and every reason why.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var problems: [String]

    public var description: String {
        "invalid configuration (\(source)):\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
