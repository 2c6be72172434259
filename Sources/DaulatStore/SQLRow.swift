/// A result row, decoded eagerly into ``SQLValue``s, read by column name.
public struct SQLRow: Sendable {
    let columns: SQLColumns
    let values: [SQLValue]

    public init(columns: SQLColumns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    private func value(_ column: String) -> SQLValue? {
        columns.positions[column].map { values[$0] }
    }

    public func string(_ column: String) throws -> String {
        guard case .text(let value) = value(column) else { throw SQLRowError.unexpectedValue(column: column) }
        return value
    }

    public func optionalString(_ column: String) throws -> String? {
        switch value(column) {
        case .text(let value): return value
        case .null: return nil
        default: throw SQLRowError.unexpectedValue(column: column)
        }
    }

    public func integer(_ column: String) throws -> Int64 {
        guard case .integer(let value) = value(column) else { throw SQLRowError.unexpectedValue(column: column) }
        return value
    }

    public func optionalInteger(_ column: String) throws -> Int64? {
        switch value(column) {
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
