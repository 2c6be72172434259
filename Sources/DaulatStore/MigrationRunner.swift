import DaulatCore
import Foundation

/// Applies the shipped migrations to a database and reports where its schema stands.
public struct MigrationRunner<Backend: SQLBackend>: Sendable {
    public let backend: Backend
    public let migrations: [Migration]

    public init(backend: Backend) throws {
        self.backend = backend
        self.migrations = try Migration.bundled(for: backend.dialect)
    }

    public var knownVersion: Int { migrations.last?.version ?? 0 }

    /// Applies every migration the database lacks, all in one transaction under the migration lock, and
    /// returns those applied. Running it again, or twice at once, applies nothing more.
    @discardableResult
    public func apply(now: Date = Date()) async throws -> [Migration] {
        let migrations = self.migrations
        let known = knownVersion
        return try await backend.migrationTransaction { executor in
            try await executor.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)"
            )
            let applied = try await Self.applied(executor)
            if let newest = applied.keys.max(), newest > known {
                throw StoreError.schemaTooNew(database: newest, known: known)
            }
            var done: [Migration] = []
            for migration in migrations {
                if let checksum = applied[migration.version] {
                    guard checksum == migration.checksum else {
                        throw MigrationError.checksumMismatch(version: migration.version)
                    }
                    continue
                }
                for statement in migration.statements {
                    try await executor.query(SQLStatement(stringLiteral: statement))
                }
                try await executor.query(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at_ms) VALUES (\(migration.version), \(migration.name), \(migration.checksum), \(now.millisecondsSince1970))"
                )
                done.append(migration)
            }
            return done
        }
    }

    /// The database's schema version (0 when nothing is applied).
    public func currentVersion() async throws -> Int {
        try await backend.transaction { executor in
            let exists = try await executor.query(Self.tableExistsQuery(backend.dialect))
            guard !exists.isEmpty else { return 0 }
            return try await Self.applied(executor).keys.max() ?? 0
        }
    }

    /// Throws unless the database is exactly at the version this build knows: a newer schema could be
    /// corrupted by older code, an older one lacks tables this code needs.
    public func requireCurrent() async throws {
        let current = try await currentVersion()
        if current > knownVersion { throw StoreError.schemaTooNew(database: current, known: knownVersion) }
        if current < knownVersion { throw SchemaBehindError(database: current, known: knownVersion) }
    }

    private static func applied(_ executor: Backend.Executor) async throws -> [Int: String] {
        var result: [Int: String] = [:]
        for row in try await executor.query("SELECT version, checksum FROM schema_migrations") {
            result[Int(try row.integer("version"))] = try row.string("checksum")
        }
        return result
    }

    private static func tableExistsQuery(_ dialect: SQLDialect) -> SQLStatement {
        switch dialect {
        case .postgresql: "SELECT 1 AS present FROM pg_tables WHERE tablename = 'schema_migrations'"
        case .sqlite: "SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        }
    }
}

/// The database lacks migrations this build needs.
public struct SchemaBehindError: Error, CustomStringConvertible, Equatable {
    public let database: Int
    public let known: Int
    public var description: String {
        "the database schema is at version \(database) but this build needs \(known); run `daulat migrate` first"
    }
}
