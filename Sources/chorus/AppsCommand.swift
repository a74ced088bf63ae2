import ArgumentParser
import ChorusProtocol
import ChorusServer
import ChorusStorage
import Foundation
import Logging

/// `chorus apps`: the apps of the app store (`app_store`), which running servers pick up within
/// `refresh_seconds`.
struct AppsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apps",
        abstract: "Add, change, list and remove the apps of the app store (see docs/apps.md).",
        discussion: """
            The store is the app_store of --config FILE, or the SQLite file --store-path, or the \
            PostgreSQL database --store-url. Running servers re-read it every refresh_seconds.
            """,
        subcommands: [Add.self, SetSettings.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an app.")

        @OptionGroup var store: AppStoreOptions

        @Option(name: .long, help: "The app's numeric id.")
        var id: String

        @Option(name: .long, help: "The app's key (what clients connect with).")
        var key: String

        @Option(name: .long, help: "The app's secret (what requests and subscriptions are signed with).")
        var secret: String

        @Option(name: .customLong("set"), help: "A setting, as the configuration file names it: name=value.")
        var settings: [String] = []

        func run() async throws {
            try await store.withStore { store, server in
                if try await store.app(id: id) != nil {
                    throw AppsCommandError(
                        "app \(id) is already in the store; change it with `chorus apps set \(id) …`"
                    )
                }
                let app = try AppConfiguration(id: id, key: key, secret: secret).applying(settings)
                try await AppStoreOptions.write(app, to: store, server: server)
                print("added app \(app.id) (key \(app.key))\(app.enabled ? "" : ", disabled")")
            }
        }
    }

    struct SetSettings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Change settings of an app.",
            discussion: """
                Settings are named as in the configuration file: enabled=false, max_connections=100, \
                history.enabled=true, webhooks='[{"url": "https://…", "event_types": ["channel_occupied"]}]'. \
                A value is JSON, or text for a text setting (key, secret).
                """
        )

        @OptionGroup var store: AppStoreOptions

        @Argument(help: "The app's id.")
        var id: String

        @Argument(help: "Settings, each name=value.")
        var settings: [String]

        func run() async throws {
            try await store.withStore { store, server in
                guard let stored = try await store.app(id: id) else {
                    throw AppsCommandError("no app \(id) in the store")
                }
                let app = try AppConfiguration(stored: stored).applying(settings)
                try await AppStoreOptions.write(app, to: store, server: server)
                print("changed app \(app.id)\(app.enabled ? "" : " (disabled)")")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the apps of the store.")

        @OptionGroup var store: AppStoreOptions

        @Flag(name: .long, help: "Print a JSON array: id, key, enabled, updated_at_ms and the app as stored.")
        var json = false

        func run() async throws {
            try await store.withStore { store, _ in
                let apps = try await store.all()
                print(try json ? Self.json(apps) : Self.table(apps), terminator: "")
            }
        }

        private static func table(_ apps: [StoredApp]) -> String {
            let rows =
                [["ID", "KEY", "ENABLED", "UPDATED"]]
                + apps.map { app in
                    let updated = Date(timeIntervalSince1970: Double(app.updatedAtMs) / 1000)
                    return [app.id, app.key, app.enabled ? "yes" : "no", updated.ISO8601Format()]
                }
            let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
            return rows.map { row in
                zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
            }.joined()
        }

        private static func json(_ apps: [StoredApp]) throws -> String {
            let values: [JSONValue] = try apps.map { app in
                .object([
                    "id": .string(app.id), "key": .string(app.key), "enabled": .bool(app.enabled),
                    "updated_at_ms": .integer(app.updatedAtMs), "app": try JSONValue(parsing: app.document),
                ])
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(values), as: UTF8.self) + "\n"
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an app (its open connections are closed).")

        @OptionGroup var store: AppStoreOptions

        @Argument(help: "The app's id.")
        var id: String

        func run() async throws {
            try await store.withStore { store, _ in
                guard try await store.remove(id: id) else { throw AppsCommandError("no app \(id) in the store") }
                print("removed app \(id)")
            }
        }
    }
}

/// Where `chorus apps` finds the app store, and the server configuration apps are checked against.
struct AppStoreOptions: ParsableArguments {
    @Option(name: .long, help: "A server configuration file: its app_store, and its limits apps are checked against.")
    var config: String?

    @Option(name: .long, help: "The app store's SQLite file.")
    var storePath: String?

    @Option(name: .long, help: "The app store's PostgreSQL database: postgres://user@host:port/database.")
    var storeURL: String?

    func validate() throws {
        guard [config, storePath, storeURL].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --config, --store-path and --store-url")
        }
    }

    /// Runs `body` with the store open, and the configuration file when one was given.
    func withStore(_ body: (any AppStore, ServerConfiguration?) async throws -> Void) async throws {
        var server: ServerConfiguration?
        let settings: AppStoreSettings
        if let config {
            do {
                server = try ConfigurationLoader.load(path: config, environment: [:])
            } catch {
                throw AppsCommandError("\(error)")
            }
            settings = server?.appStore ?? AppStoreSettings()
            guard settings.isEnabled else { throw AppsCommandError("\(config) has no app_store (its driver is none)") }
        } else if let storePath {
            settings = .sqlite(storePath)
        } else {
            settings = .postgres(storeURL ?? "")
        }
        var logger = Logger(label: "chorus.apps")
        logger.logLevel = .warning
        let store: any AppStore
        do {
            guard let opened = try await settings.open(logger: logger) else { return }
            store = opened
        } catch {
            throw AppsCommandError("cannot open the app store (\(settings.summary)): \(error)")
        }
        do {
            try await body(store, server)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    /// Checks `app` as the configuration file's apps are checked, then writes it.
    static func write(_ app: AppConfiguration, to store: any AppStore, server: ServerConfiguration?) async throws {
        let problems = app.problems(in: server)
        guard problems.isEmpty else {
            throw AppsCommandError(
                "app \(app.id) is not valid:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
            )
        }
        for file in server?.apps ?? [] where file.id == app.id || file.key == app.key {
            let field = file.id == app.id ? "id \(app.id)" : "key \(app.key)"
            warn("the configuration file defines \(field) too: servers use the file's app, not the store's")
        }
        try await store.upsert(try app.stored())
    }

    private static func warn(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }
}

/// Why a `chorus apps` command failed; printed as `Error: …`, exit status 1.
struct AppsCommandError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
