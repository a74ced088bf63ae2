import Foundation

/// A file or directory a command cannot use: which one, what is wrong and what to do about it,
/// printed as one line instead of a raw Foundation error.
struct FileProblem: Error, CustomStringConvertible {
    var path: String
    var problem: String
    var remedy: String

    /// `problem` names what failed; the reason is taken from `error` and from the path itself.
    init(_ path: String, _ problem: String, error: any Error, remedy: String) {
        self.path = path
        self.problem = "\(problem) (\(Self.osReason(error) ?? Self.pathReason(path) ?? error.localizedDescription))"
        self.remedy = remedy
    }

    var description: String { "\(path) \(problem); \(remedy)" }

    /// The operating system's reason, when Foundation passes one on.
    private static func osReason(_ error: any Error) -> String? {
        let error = error as NSError
        let posix = error.domain == NSPOSIXErrorDomain ? error : error.userInfo[NSUnderlyingErrorKey] as? NSError
        guard let posix, posix.domain == NSPOSIXErrorDomain else { return nil }
        return String(cString: strerror(Int32(posix.code)))
    }

    /// What stands in the way of `path`, from its nearest existing ancestor (Linux Foundation
    /// often reports a failed write only as "error 512").
    private static func pathReason(_ path: String) -> String? {
        var url = URL(fileURLWithPath: path)
        while true {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
                if !isDirectory.boolValue { return "\(url.path) is a file, not a directory" }
                if !FileManager.default.isWritableFile(atPath: url.path) { return "\(url.path) is not writable" }
                return nil
            }
            let parent = url.deletingLastPathComponent()
            guard parent.path != url.path else { return nil }
            url = parent
        }
    }
}
