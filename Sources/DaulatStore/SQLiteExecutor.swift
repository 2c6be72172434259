import SQLiteNIO

/// Statements on the SQLite connection inside an open transaction.
public struct SQLiteExecutor: SQLExecutor {
    let connection: SQLiteConnection

    @discardableResult
    public func query(_ statement: SQLStatement) async throws -> [SQLRow] {
        let (sql, parameters) = statement.rendered(numberedPlaceholders: false)
        let binds: [SQLiteData] = parameters.map { parameter in
            switch parameter {
            case .text(let value): .text(value)
            case .integer(let value): .integer(SQLiteInt64(value))
            case .null: .null
            }
        }
        let rows = try await connection.query(sql, binds)
        return rows.map { row in
            var values: [String: SQLValue] = [:]
            for column in row.columns {
                switch column.data {
                case .integer(let value): values[column.name] = .integer(Int64(value))
                case .float(let value): values[column.name] = .integer(Int64(value))
                case .text(let value): values[column.name] = .text(value)
                case .blob: values[column.name] = .null
                case .null: values[column.name] = .null
                }
            }
            return SQLRow(values: values)
        }
    }
}
