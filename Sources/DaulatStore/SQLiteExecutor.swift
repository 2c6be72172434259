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
        guard let first = rows.first else { return [] }
        let columns = SQLColumns(first.columns.map(\.name))
        return rows.map { row in
            SQLRow(
                columns: columns,
                values: row.columns.map { column in
                    switch column.data {
                    case .integer(let value): .integer(Int64(value))
                    case .float(let value): .integer(Int64(value))
                    case .text(let value): .text(value)
                    case .blob, .null: .null
                    }
                })
        }
    }
}
