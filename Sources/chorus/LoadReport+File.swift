import ChorusLoad

extension LoadReport {
    /// Reads the run report at `path`, or throws a ``FileProblem`` that ends with `remedy`.
    static func read(path: String, remedy: String) throws(FileProblem) -> LoadReport {
        do {
            return try LoadReport.read(path: path)
        } catch {
            throw FileProblem(path, "is not a readable run report", error: error, remedy: remedy)
        }
    }
}
