/// A database the generic store runs on: PostgreSQL or SQLite.
public protocol SQLBackend: Sendable {
    associatedtype Executor: SQLExecutor

    /// Which migration directory and dialect rules apply.
    var dialect: SQLDialect { get }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    @discardableResult
    func transaction<Result: Sendable>(_ body: @Sendable (Executor) async throws -> Result) async throws -> Result

    /// Runs one statement on its own, outside any explicit transaction (so it is atomic by itself):
    /// one round trip to the server.
    func execute(_ statement: SQLStatement) async throws -> [SQLRow]

    /// Runs `body` in a transaction that holds the migration lock, so two `daulat migrate` at once
    /// apply each migration exactly once.
    @discardableResult
    func migrationTransaction<Result: Sendable>(_ body: @Sendable (Executor) async throws -> Result) async throws -> Result

    /// Runs `body` while holding the lock named `key` for this process: see
    /// ``DaulatStore/whileLeading(_:)``.
    func whileHoldingSessionLock(_ key: Int64, _ body: @escaping @Sendable () async throws -> Void) async throws

    /// Maps a driver error to a ``StoreError`` where it is one (unique violations, lost connections).
    func translate(_ error: any Error) -> any Error
}
