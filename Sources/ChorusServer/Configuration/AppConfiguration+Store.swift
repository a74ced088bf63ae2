import ChorusProtocol
package import ChorusStorage
import Foundation

extension AppConfiguration {
    /// The app as the app store keeps it: its entry as the configuration file would spell it, with
    /// the credentials and only the settings that differ from the defaults (so a stored app follows
    /// a default that changes later, as a file's app does).
    package func stored() throws -> StoredApp {
        let defaults = try Self.document(of: AppConfiguration(id: id, key: key, secret: secret))
        let members = try Self.document(of: self).filter { name, value in
            ["id", "key", "secret"].contains(name) || defaults[name] != value
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(JSONValue.object(members)), as: UTF8.self)
        return StoredApp(id: id, key: key, enabled: enabled, document: text)
    }

    /// The app a store row holds. The row's id, key and enabled columns win over its document.
    package init(stored: StoredApp) throws(ConfigurationError) {
        do {
            self = try JSONDecoder().decode(AppConfiguration.self, from: Data(stored.document.utf8))
        } catch let error as DecodingError {
            throw ConfigurationError(
                source: "app store, app '\(stored.id)'",
                problems: [ConfigurationLoader.describe(error)]
            )
        } catch {
            throw ConfigurationError(source: "app store, app '\(stored.id)'", problems: ["not valid JSON: \(error)"])
        }
        id = stored.id
        key = stored.key
        enabled = stored.enabled
    }

    /// The app with `assignments` applied, each `name=value` with the setting's name in the
    /// configuration file (`max_connections=100`; `history.enabled=true` inside a section). A value
    /// is JSON (`false`, `100`, `[{"url": "…"}]`), or text where the setting is text. The id cannot
    /// change; the result is not yet checked (see ``problems()``).
    package func applying(_ assignments: [String]) throws(ConfigurationError) -> AppConfiguration {
        let source = "app '\(id)'"
        var document: [String: JSONValue]
        do {
            document = try Self.document(of: self)
        } catch {
            throw ConfigurationError(source: source, problems: ["cannot encode the app: \(error)"])
        }
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ConfigurationError(source: source, problems: ["expected name=value, got '\(assignment)'"])
            }
            let path = assignment[..<equals].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard path != ["id"] else {
                throw ConfigurationError(source: source, problems: ["id cannot change: remove the app and add it anew"])
            }
            let text = String(assignment[assignment.index(after: equals)...])
            document = Self.setting(path, to: text, in: document)
        }
        do {
            let data = try JSONEncoder().encode(JSONValue.object(document))
            return try JSONDecoder().decode(AppConfiguration.self, from: data)
        } catch let error as DecodingError {
            throw ConfigurationError(source: source, problems: [ConfigurationLoader.describe(error)])
        } catch {
            throw ConfigurationError(source: source, problems: ["\(error)"])
        }
    }

    /// The app's entry, every setting included, as a JSON object.
    private static func document(of app: AppConfiguration) throws -> [String: JSONValue] {
        try JSONValue(parsing: Array(try JSONEncoder().encode(app))).objectValue ?? [:]
    }

    /// `object` with the member at `path` set to `text`: as text where the current value is text
    /// (a key of digits stays a string), otherwise as JSON, falling back to text.
    private static func setting(
        _ path: [String],
        to text: String,
        in object: [String: JSONValue]
    ) -> [String: JSONValue] {
        var object = object
        guard let name = path.first else { return object }
        if path.count > 1 {
            object[name] = .object(setting(Array(path.dropFirst()), to: text, in: object[name]?.objectValue ?? [:]))
        } else if case .string = object[name] {
            object[name] = .string(text)
        } else {
            object[name] = (try? JSONValue(parsing: text)) ?? .string(text)
        }
        return object
    }
}

extension AppConfiguration {
    /// Problems that keep the app from being served, as for an app of the configuration file: its
    /// own, and those against the server's limits when `server` is given.
    package func problems(in server: ServerConfiguration?) -> [String] {
        problems() + (server?.payloadProblems(self) ?? [])
    }
}
