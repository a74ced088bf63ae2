/// A file or directory a command cannot use: which one, what is wrong and what to do about it,
/// printed as one line instead of a raw Foundation error.
struct FileProblem: Error, CustomStringConvertible {
    var path: String
    var problem: String
    var remedy: String

    init(_ path: String, _ problem: String, remedy: String) {
        self.path = path
        self.problem = problem
        self.remedy = remedy
    }

    var description: String { "\(path) \(problem); \(remedy)" }
}
