/// A result row, decoded eagerly into ``SQLValue``s by column name.
public struct SQLRow: Sendable {
    var values: [String: SQLValue]

    public init(values: [String: SQLValue]) { self.values = values }

    public func string(_ column: String) throws -> String {
        guard case .text(let value) = values[column] else { throw SQLRowError.unexpectedValue(column: column) }
        return value
    }

    public func optionalString(_ column: String) throws -> String? {
        switch values[column] {
        case .text(let value): return value
        case .null: return nil
        default: throw SQLRowError.unexpectedValue(column: column)
        }
    }

    public func integer(_ column: String) throws -> Int64 {
        guard case .integer(let value) = values[column] else { throw SQLRowError.unexpectedValue(column: column) }
        return value
    }

    public func optionalInteger(_ column: String) throws -> Int64? {
        switch values[column] {
        case .integer(let value): return value
        case .null: return nil
        default: throw SQLRowError.unexpectedValue(column: column)
        }
    }
}

/// A row that did not have the shape the query promised: a schema and code out of step.
public enum SQLRowError: Error, Sendable {
    case unexpectedValue(column: String)
}
