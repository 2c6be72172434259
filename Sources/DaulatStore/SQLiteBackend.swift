import DaulatCore
import Foundation
import Logging
import SQLiteNIO

/// An embedded SQLite database in one file: the store for `daulat dev` and single-node use.
///
/// One connection serves every request; transactions take turns through ``TransactionGate`` because
/// SQLite allows one writer at a time anyway. WAL with `synchronous=FULL` makes every committed
/// transaction survive a crash of the process (and of the machine).
public final class SQLiteBackend: SQLBackend {
    let connection: SQLiteConnection
    let gate = TransactionGate()

    public var dialect: SQLDialect { .sqlite }

    public static func open(path: String, logger: Logger) async throws -> SQLiteBackend {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        for pragma in [
            "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 5000",
        ] {
            _ = try await connection.query(pragma, [])
        }
        return SQLiteBackend(connection: connection)
    }

    init(connection: SQLiteConnection) {
        self.connection = connection
    }

    public func close() async throws {
        try await connection.close()
    }

    public func transaction<Result: Sendable>(_ body: @Sendable (SQLiteExecutor) async throws -> Result) async throws
        -> Result
    {
        try await transaction(flushing: true, body)
    }

    public func transientTransaction<Result: Sendable>(
        _ body: @Sendable (SQLiteExecutor) async throws -> Result
    ) async throws -> Result {
        try await transaction(flushing: false, body)
    }

    /// `flushing`: whether the commit waits for the disk. In WAL mode `synchronous = NORMAL` leaves the
    /// log unsynced at commit; the next commit under `FULL` syncs it, earlier commits with it. The
    /// setting cannot change inside a transaction, so it is changed around one, under the gate.
    private func transaction<Result: Sendable>(
        flushing: Bool, _ body: @Sendable (SQLiteExecutor) async throws -> Result
    ) async throws -> Result {
        await gate.acquire()
        let executor = SQLiteExecutor(connection: connection)
        do {
            if !flushing { try await executor.query("PRAGMA synchronous = NORMAL") }
            let result: Result
            do {
                try await executor.query("BEGIN IMMEDIATE")
                do {
                    result = try await body(executor)
                    try await executor.query("COMMIT")
                } catch {
                    _ = try? await executor.query("ROLLBACK")
                    throw error
                }
            } catch {
                if !flushing { _ = try? await executor.query("PRAGMA synchronous = FULL") }
                throw error
            }
            // Back to waiting for the disk before anything else may use the connection.
            if !flushing { try await executor.query("PRAGMA synchronous = FULL") }
            await gate.release()
            return result
        } catch {
            await gate.release()
            throw translate(error)
        }
    }

    public func execute(_ statement: SQLStatement) async throws -> [SQLRow] {
        await gate.acquire()
        do {
            let rows = try await SQLiteExecutor(connection: connection).query(statement)
            await gate.release()
            return rows
        } catch {
            await gate.release()
            throw translate(error)
        }
    }

    public func forEachBatch(of statement: SQLStatement, size: Int, _ body: ([SQLRow]) async throws -> Void)
        async throws
    {
        precondition(size > 0, "a batch holds at least one row")
        let rows = try await execute(statement)
        var start = rows.startIndex
        while start < rows.endIndex {
            let end = min(start + size, rows.endIndex)
            try await body(Array(rows[start..<end]))
            start = end
        }
    }

    public func migrationTransaction<Result: Sendable>(_ body: @Sendable (SQLiteExecutor) async throws -> Result)
        async throws
        -> Result
    {
        // BEGIN IMMEDIATE already takes SQLite's single write lock, which excludes other processes too.
        try await transaction(body)
    }

    /// One process owns the database file, so it holds every lock.
    public func whileHoldingSessionLock(_ key: Int64, _ body: @escaping @Sendable () async throws -> Void) async throws
    {
        try await body()
    }

    public func translate(_ error: any Error) -> any Error {
        if let sqliteError = error as? SQLiteError {
            if sqliteError.reason == .constraintUniqueFailed || sqliteError.reason == .constraintPrimaryKeyFailed {
                return StoreError.conflict("record already exists")
            }
            if sqliteError.reason == .busy || sqliteError.reason == .locked || sqliteError.reason == .ioError
                || sqliteError.reason == .full
            {
                return StoreError.unavailable("SQLite: \(sqliteError.reason)")
            }
        }
        return error
    }
}
