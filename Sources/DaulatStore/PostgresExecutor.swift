import Logging
import PostgresNIO

/// Statements on one PostgreSQL connection inside an open transaction.
public struct PostgresExecutor: SQLExecutor {
    let connection: PostgresConnection
    let logger: Logger

    @discardableResult
    public func query(_ statement: SQLStatement) async throws -> [SQLRow] {
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
        var result: [SQLRow] = []
        for try await row in rows {
            var values: [String: SQLValue] = [:]
            for cell in row {
                values[cell.columnName] = try Self.value(of: cell)
            }
            result.append(SQLRow(values: values))
        }
        return result
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
