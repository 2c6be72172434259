import DaulatCore
import DaulatStore
import Foundation
import Logging
import PostgresNIO

/// Opens a real, empty, migrated database for one test and removes it afterwards.
///
/// PostgreSQL comes from `DAULAT_TEST_DATABASE_URL` (set by `scripts/test`, which starts the server);
/// each test gets a database of its own on it, so tests run in parallel without seeing each other.
public enum TestDatabase {
    public static let postgresURLVariable = "DAULAT_TEST_DATABASE_URL"

    public static var logger: Logger {
        var logger = Logger(label: "daulat.test")
        logger.logLevel = .error
        return logger
    }

    /// Runs `body` with a store of `kind` on a fresh database.
    public static func withStore<Result: Sendable>(
        _ kind: StoreKind,
        clock: @escaping @Sendable () -> Date = Date.init,
        _ body: (any DaulatStore) async throws -> Result
    ) async throws -> Result {
        switch kind {
        case .sqlite:
            return try await withSQLite { backend in try await body(SQLDaulatStore(backend: backend, clock: clock)) }
        case .postgresql:
            return try await withPostgres { backend in try await body(SQLDaulatStore(backend: backend, clock: clock)) }
        }
    }

    public static func withSQLite<Result: Sendable>(
        migrate: Bool = true, _ body: (SQLiteBackend) async throws -> Result
    )
        async throws -> Result
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "daulat-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let backend = try await SQLiteBackend.open(
            path: directory.appendingPathComponent("daulat.sqlite").path, logger: logger)
        do {
            if migrate { try await MigrationRunner(backend: backend).apply() }
            let result = try await body(backend)
            try await backend.close()
            return result
        } catch {
            try? await backend.close()
            throw error
        }
    }

    /// The URL of the PostgreSQL server for tests, or an error saying how to get one.
    public static func postgresServerURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[postgresURLVariable], !url.isEmpty else {
            throw MissingPostgresError()
        }
        return url
    }

    public static func withPostgres<Result: Sendable>(
        migrate: Bool = true, _ body: (PostgresBackend) async throws -> Result
    )
        async throws -> Result
    {
        try await withPostgresDatabase { url in
            try await withRunning(try PostgresBackend(url: url, logger: logger)) { backend in
                if migrate { try await MigrationRunner(backend: backend).apply() }
                return try await body(backend)
            }
        }
    }

    /// Creates an empty database on the test server, hands its URL to `body`, and drops it afterwards:
    /// for tests that start `daulat` processes against it.
    public static func withPostgresDatabase<Result: Sendable>(_ body: (String) async throws -> Result) async throws
        -> Result
    {
        let serverURL = try postgresServerURL()
        let name = Identifier.random(prefix: "daulat_test_", length: 16)
        try await withRunning(try PostgresBackend(url: serverURL, logger: logger)) { admin in
            try await admin.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        let result: Result
        do {
            result = try await body(databaseURL(serverURL, name))
        } catch {
            try? await dropDatabase(name, serverURL: serverURL)
            throw error
        }
        try await dropDatabase(name, serverURL: serverURL)
        return result
    }

    /// The URL of database `name` on the test server: for tests that open a second connection pool
    /// (a second control plane, a second `daulat migrate`).
    public static func databaseURL(_ serverURL: String, _ name: String) -> String {
        var components = URLComponents(string: serverURL)!
        components.path = "/" + name
        return components.string!
    }

    /// Runs `body` while the backend's connection pool runs, and stops the pool afterwards.
    @discardableResult
    public static func withRunning<Result: Sendable>(
        _ backend: PostgresBackend, _ body: (PostgresBackend) async throws -> Result
    )
        async throws -> Result
    {
        try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
            group.addTask { await backend.client.run() }
            do {
                let result = try await body(backend)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    private static func dropDatabase(_ name: String, serverURL: String) async throws {
        try await withRunning(try PostgresBackend(url: serverURL, logger: logger)) { admin in
            try await admin.client.query(
                PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }
}

/// The PostgreSQL tests were run without a server. They need the one `scripts/test` starts.
public struct MissingPostgresError: Error, CustomStringConvertible {
    public var description: String {
        "\(TestDatabase.postgresURLVariable) is not set: run the tests with `scripts/test`, which starts a PostgreSQL server for them"
    }
}
