import DaulatCore
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// PostgreSQL through a postgres-nio connection pool. The pool is a `Service`: it must be running
/// (in the application's `ServiceGroup`, or a task of a test) before any query.
public struct PostgresBackend: SQLBackend, Service {
    /// Chosen once; every `daulat migrate` takes this transaction-level advisory lock, so concurrent
    /// runs queue behind each other instead of applying a migration twice.
    static let migrationLockKey: Int64 = 0x6461_756c_6174_0001

    public let client: PostgresClient
    let logger: Logger

    public var dialect: SQLDialect { .postgresql }

    public init(configuration: PostgresClient.Configuration, logger: Logger) {
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    /// `postgres://user:password@host:port/database` (the form libpq and `DAULAT_DATABASE_URL` use).
    /// `sslmode=require` in the query asks for TLS; anything else connects in the clear, which is only
    /// sensible on loopback or a private network.
    public init(url: String, logger: Logger) throws {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme),
            let host = components.host, !host.isEmpty
        else {
            throw DatabaseURLError(message: "expected postgres://user:password@host:port/database")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        var configuration = PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: components.user ?? "postgres",
            password: components.password,
            database: database.isEmpty ? nil : database,
            tls: sslMode == "require" ? .require(.makeClientConfiguration()) : .disable
        )
        configuration.options.connectTimeout = .seconds(5)
        self.init(configuration: configuration, logger: logger)
    }

    public func run() async throws {
        await client.run()
    }

    public func transaction<Result: Sendable>(_ body: (PostgresExecutor) async throws -> Result) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(PostgresExecutor(connection: connection, logger: logger))
            }
        } catch {
            throw translate(error)
        }
    }

    public func migrationTransaction<Result: Sendable>(_ body: (PostgresExecutor) async throws -> Result) async throws
        -> Result
    {
        try await transaction { executor in
            try await executor.query("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))")
            return try await body(executor)
        }
    }

    public func translate(_ error: any Error) -> any Error {
        if let transactionError = error as? PostgresTransactionError {
            if let inner = transactionError.closureError ?? transactionError.beginError ?? transactionError.commitError {
                return translate(inner)
            }
        }
        if let psqlError = error as? PSQLError {
            if psqlError.code == .server {
                if psqlError.serverInfo?[.sqlState] == "23505" {
                    return StoreError.conflict("\(psqlError.serverInfo?[.tableName] ?? "record") already exists")
                }
                return error
            }
            return StoreError.unavailable("PostgreSQL connection failed (\(psqlError.code))")
        }
        return error
    }
}

/// The `postgres://` URL could not be understood.
public struct DatabaseURLError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { "invalid database URL: \(message)" }
}
