import Logging
import PostgresNIO

/// Statements on one PostgreSQL connection inside an open transaction.
public struct PostgresExecutor: SQLExecutor {
    let connection: PostgresConnection
    let logger: Logger

    @discardableResult
    public func query(_ statement: SQLStatement) async throws -> [SQLRow] {
        var result: [SQLRow] = []
        try await forEachBatch(of: statement, size: .max) { result += $0 }
        return result
    }

    /// Runs one query and hands its rows to `body` `size` at a time as they arrive; `body` is awaited
    /// before more are read, so that the server sends no faster than `body` takes them.
    func forEachBatch(of statement: SQLStatement, size: Int, _ body: ([SQLRow]) async throws -> Void) async throws {
        precondition(size > 0, "a batch holds at least one row")
        let (sql, parameters) = statement.rendered(numberedPlaceholders: true)
        var bindings = PostgresBindings(capacity: parameters.count)
        for parameter in parameters {
            switch parameter {
            case .text(let value): bindings.append(value)
            case .integer(let value): bindings.append(value)
            case .null: bindings.appendNull()
            }
        }
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        var columns: SQLColumns?
        var batch: [SQLRow] = []
        for try await row in rows {
            let names = columns ?? SQLColumns(row.map(\.columnName))
            columns = names
            var values: [SQLValue] = []
            values.reserveCapacity(row.count)
            for cell in row { values.append(try Self.value(of: cell)) }
            batch.append(SQLRow(columns: names, values: values))
            if batch.count == size {
                try await body(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try await body(batch) }
    }

    private static func value(of cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        default: return .text(try cell.decode(String.self))
        }
    }
}
