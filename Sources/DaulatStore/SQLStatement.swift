/// A statement with its parameters kept apart from its text. Interpolated values always become bound
/// parameters, never SQL, so no caller can build an injection by accident.
///
///     let statement: SQLStatement = "SELECT document FROM sites WHERE id = \(id)"
public struct SQLStatement: Sendable, ExpressibleByStringInterpolation {
    public enum Fragment: Sendable {
        case sql(String)
        case parameter(SQLValue)
    }

    public var fragments: [Fragment]

    public init(stringLiteral value: String) { fragments = [.sql(value)] }

    public init(fragments: [Fragment]) { self.fragments = fragments }

    public init(stringInterpolation: Interpolation) { fragments = stringInterpolation.fragments }

    public struct Interpolation: StringInterpolationProtocol {
        var fragments: [Fragment] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) { fragments.append(.sql(literal)) }
        public mutating func appendInterpolation(_ value: String) { fragments.append(.parameter(.text(value))) }
        public mutating func appendInterpolation(_ value: String?) {
            fragments.append(.parameter(value.map(SQLValue.text) ?? .null))
        }
        public mutating func appendInterpolation(_ value: Int64) { fragments.append(.parameter(.integer(value))) }
        public mutating func appendInterpolation(_ value: Int) { fragments.append(.parameter(.integer(Int64(value)))) }
        public mutating func appendInterpolation(_ value: Int64?) {
            fragments.append(.parameter(value.map(SQLValue.integer) ?? .null))
        }
        /// Splices trusted SQL (a table name chosen by code, never by input).
        public mutating func appendInterpolation(unsafeSQL: String) { fragments.append(.sql(unsafeSQL)) }
        public mutating func appendInterpolation(_ statement: SQLStatement) {
            fragments.append(contentsOf: statement.fragments)
        }
    }

    /// How many values one ``list(_:)`` should bind at most: well under SQLite's and PostgreSQL's
    /// parameter limits. Longer lists are split over several statements.
    public static var listLimit: Int { 500 }

    /// `(v1, v2, …)` for `IN`, each value bound; `values` must not be empty.
    public static func list(_ values: some Sequence<String>) -> SQLStatement {
        var fragments: [Fragment] = [.sql("(")]
        for (index, value) in values.enumerated() {
            if index > 0 { fragments.append(.sql(", ")) }
            fragments.append(.parameter(.text(value)))
        }
        fragments.append(.sql(")"))
        return SQLStatement(fragments: fragments)
    }

    /// The text with numbered placeholders (`$1`, PostgreSQL) or positional ones (`?`, SQLite), and the
    /// values in order.
    public func rendered(numberedPlaceholders: Bool) -> (sql: String, parameters: [SQLValue]) {
        var sql = ""
        var parameters: [SQLValue] = []
        for fragment in fragments {
            switch fragment {
            case .sql(let text): sql += text
            case .parameter(let value):
                parameters.append(value)
                sql += numberedPlaceholders ? "$\(parameters.count)" : "?"
            }
        }
        return (sql, parameters)
    }
}
