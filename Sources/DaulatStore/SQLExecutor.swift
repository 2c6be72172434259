/// Runs statements inside one open transaction.
public protocol SQLExecutor: Sendable {
    @discardableResult
    func query(_ statement: SQLStatement) async throws -> [SQLRow]
}
