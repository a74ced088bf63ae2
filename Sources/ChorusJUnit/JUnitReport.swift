public import Foundation

/// A JUnit XML report in the shape CI systems read (the Ant/Jenkins JUnit schema):
/// `testsuites` > `testsuite` (name, tests, failures, errors, skipped, time, timestamp) >
/// `testcase` (name, classname, time) > `failure` (message, type), `skipped` or `system-out`.
///
/// The one writer of JUnit XML for the tools (`chorus conform`, `chorus load`), so escaping and
/// the counts in each suite's attributes are done one way.
public struct JUnitReport: Sendable, Hashable {
    /// What became of one test case.
    public enum Outcome: Sendable, Hashable {
        case passed
        /// A `<failure type="…" message="…">detail</failure>`.
        case failed(type: String, message: String, detail: String = "")
        /// A `<skipped message="…"/>`.
        case skipped(message: String)
    }

    /// One `<testcase>`.
    public struct Case: Sendable, Hashable {
        public var name: String
        public var classname: String
        public var seconds: Double
        public var outcome: Outcome
        /// `<properties>` of the case (an extension some CI systems read; the strict schema has none).
        public var properties: [Property]
        /// Text for `<system-out>`, `nil` for none.
        public var output: String?

        public init(
            name: String,
            classname: String,
            seconds: Double = 0,
            outcome: Outcome,
            properties: [Property] = [],
            output: String? = nil
        ) {
            self.name = name
            self.classname = classname
            self.seconds = seconds
            self.outcome = outcome
            self.properties = properties
            self.output = output
        }
    }

    /// A `<property name="…" value="…"/>`.
    public struct Property: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One `<testsuite>`; its counts are taken from its cases.
    public struct Suite: Sendable, Hashable {
        public var name: String
        public var timestamp: Date
        public var seconds: Double
        public var cases: [Case]

        public init(name: String, timestamp: Date, seconds: Double, cases: [Case]) {
            self.name = name
            self.timestamp = timestamp
            self.seconds = seconds
            self.cases = cases
        }

        public var failures: Int {
            cases.filter { if case .failed = $0.outcome { true } else { false } }.count
        }

        public var skipped: Int {
            cases.filter { if case .skipped = $0.outcome { true } else { false } }.count
        }
    }

    public var suites: [Suite]

    public init(suites: [Suite]) {
        self.suites = suites
    }

    /// The document, UTF-8 XML with a declaration.
    public var xml: String {
        let tests = suites.reduce(0) { $0 + $1.cases.count }
        let failures = suites.reduce(0) { $0 + $1.failures }
        let seconds = suites.reduce(0) { $0 + $1.seconds }
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += "<testsuites tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" time=\"\(Self.time(seconds))\">\n"
        for suite in suites {
            xml +=
                "  <testsuite"
                + Self.attributes([
                    ("name", suite.name), ("tests", "\(suite.cases.count)"), ("failures", "\(suite.failures)"),
                    ("errors", "0"), ("skipped", "\(suite.skipped)"), ("time", Self.time(suite.seconds)),
                    ("timestamp", Self.timestamp(suite.timestamp)),
                ]) + ">\n"
            for testCase in suite.cases { xml += Self.element(testCase) }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    private static func element(_ testCase: Case) -> String {
        var xml =
            "    <testcase"
            + attributes([
                ("name", testCase.name), ("classname", testCase.classname), ("time", time(testCase.seconds)),
            ])
        var children = ""
        if !testCase.properties.isEmpty {
            children += "      <properties>\n"
            for property in testCase.properties {
                children +=
                    "        <property" + attributes([("name", property.name), ("value", property.value)]) + "/>\n"
            }
            children += "      </properties>\n"
        }
        switch testCase.outcome {
        case .passed: break
        case .failed(let type, let message, let detail):
            children +=
                "      <failure" + attributes([("type", type), ("message", message)])
                + ">\(escaped(detail))</failure>\n"
        case .skipped(let message):
            children += "      <skipped" + attributes([("message", message)]) + "/>\n"
        }
        if let output = testCase.output { children += "      <system-out>\(escaped(output))</system-out>\n" }
        xml += children.isEmpty ? "/>\n" : ">\n\(children)    </testcase>\n"
        return xml
    }

    private static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(escaped($0.1))\"" }.joined()
    }

    /// Seconds with three decimals, as JUnit writers print them.
    private static func time(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    /// ISO 8601 in UTC without a zone designator, the form the schema's `timestamp` takes.
    private static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: date)
    }

    /// Text safe in an attribute value or element content; characters XML 1.0 cannot carry at all
    /// (control characters other than tab, newline and carriage return) become U+FFFD.
    private static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\t", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
