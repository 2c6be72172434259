/// A database the generic store runs on: PostgreSQL or SQLite.
public protocol SQLBackend: Sendable {
    associatedtype Executor: SQLExecutor

    /// Which migration directory and dialect rules apply.
    var dialect: SQLDialect { get }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    @discardableResult
    func transaction<Result: Sendable>(_ body: @Sendable (Executor) async throws -> Result) async throws -> Result

    /// Runs `body` in one transaction like ``transaction(_:)``, but its commit does not wait for the
    /// disk: for records whose loss in a crash is harmless (used up soon after, and made again when
    /// missing). What it commits becomes durable with the next commit that waits.
    @discardableResult
    func transientTransaction<Result: Sendable>(_ body: @Sendable (Executor) async throws -> Result) async throws
        -> Result

    /// Runs one statement on its own, outside any explicit transaction (so it is atomic by itself):
    /// one round trip to the server.
    func execute(_ statement: SQLStatement) async throws -> [SQLRow]

    /// Runs one query and hands its rows to `body` `size` at a time, awaiting `body` before it reads
    /// more: a result of any size passes through in batches. PostgreSQL streams it from one snapshot;
    /// SQLite, whose single connection cannot be held while `body` waits, reads it whole first.
    func forEachBatch(of statement: SQLStatement, size: Int, _ body: ([SQLRow]) async throws -> Void) async throws

    /// Runs `body` in a transaction that holds the migration lock, so two `daulat migrate` at once
    /// apply each migration exactly once.
    @discardableResult
    func migrationTransaction<Result: Sendable>(_ body: @Sendable (Executor) async throws -> Result) async throws
        -> Result

    /// Runs `body` while holding the lock named `key` for this process: see
    /// ``DaulatStore/whileLeading(_:)``.
    func whileHoldingSessionLock(_ key: Int64, _ body: @escaping @Sendable () async throws -> Void) async throws

    /// Maps a driver error to a ``StoreError`` where it is one (unique violations, lost connections).
    func translate(_ error: any Error) -> any Error
}
