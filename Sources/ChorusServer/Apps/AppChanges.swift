/// What one refresh of the app store changed, by app id, sorted: for the log and for closing the
/// connections of apps that are gone.
package struct AppChanges: Sendable, Equatable {
    package var added: [String] = []
    /// Changed in any way but being disabled or enabled again.
    package var changed: [String] = []
    package var disabled: [String] = []
    package var enabled: [String] = []
    package var removed: [String] = []
    /// The store's apps left out because the configuration file defines their id or key, when that
    /// list differs from the previous refresh's; nil when it does not.
    package var shadowed: [String]?

    package init() {}

    /// The differences between the store's apps in use before and after, by id.
    init(from old: [String: AppConfiguration], to new: [String: AppConfiguration], shadowed: [String]?) {
        for (id, app) in new {
            guard let before = old[id] else {
                added.append(id)
                continue
            }
            if before.enabled && !app.enabled {
                disabled.append(id)
            } else if !before.enabled && app.enabled {
                enabled.append(id)
            } else if before != app {
                changed.append(id)
            }
        }
        removed = old.keys.filter { new[$0] == nil }
        added.sort()
        changed.sort()
        disabled.sort()
        enabled.sort()
        removed.sort()
        self.shadowed = shadowed
    }

    /// Whether nothing changed.
    package var isEmpty: Bool { self == AppChanges() }

    /// The apps whose open connections must close: disabled, or gone from the store.
    package var closing: [String] { (disabled + removed).sorted() }
}
