extension PageDirection {
    /// The direction a `direction` query parameter names: `newest_first` (alias `backwards`) or
    /// `oldest_first` (alias `forwards`); nil for anything else.
    public init?(parameter: String) {
        switch parameter {
        case "newest_first", "backwards": self = .newestFirst
        case "oldest_first", "forwards": self = .oldestFirst
        default: return nil
        }
    }
}
