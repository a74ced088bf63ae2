/// How a verdict or a table row is coloured: the classes ``HTMLPage``'s style sheet defines.
public enum HTMLTone: String, Sendable, Hashable {
    case pass
    case fail
    /// A failure that does not fail the run (a should-level warning, a note).
    case warn
    case skip
}
