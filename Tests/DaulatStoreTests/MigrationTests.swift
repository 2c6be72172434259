import DaulatCore
import DaulatStore
import DaulatTestSupport
import Foundation
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test("the shipped migrations split into statements and are numbered without gaps")
    func shippedMigrations() throws {
        for dialect in [SQLDialect.postgresql, .sqlite] {
            let migrations = try Migration.bundled(for: dialect)
            #expect(migrations.map(\.version) == Array(1...migrations.count))
            #expect(migrations[0].statements.count > 10)
        }
        let sqlite = try Migration.bundled(for: .sqlite)[0].statements
        #expect(sqlite.contains { $0.hasPrefix("CREATE TRIGGER audit_log_no_update") && $0.hasSuffix("END;") })
        let postgres = try Migration.bundled(for: .postgresql)[0].statements
        #expect(postgres.contains { $0.hasPrefix("CREATE FUNCTION") && $0.hasSuffix("$$;") })
    }

    @Test("applying twice applies nothing the second time (SQLite)")
    func idempotentSQLite() async throws {
        try await TestDatabase.withSQLite(migrate: false) { backend in
            let runner = try MigrationRunner(backend: backend)
            #expect(try await runner.currentVersion() == 0)
            await #expect(throws: SchemaBehindError.self) { try await runner.requireCurrent() }
            #expect(try await runner.apply().count == runner.knownVersion)
            #expect(try await runner.apply().isEmpty)
            try await runner.requireCurrent()
        }
    }

    @Test("two migrators at once on PostgreSQL apply each migration exactly once")
    func concurrentPostgres() async throws {
        try await TestDatabase.withPostgres(migrate: false) { backend in
            let runner = try MigrationRunner(backend: backend)
            async let first = runner.apply()
            async let second = runner.apply()
            let applied = try await first.count + second.count
            #expect(applied == runner.knownVersion)
            #expect(try await runner.currentVersion() == runner.knownVersion)
            let rows = try await backend.transaction { try await $0.query("SELECT count(*) AS n FROM schema_migrations") }
            #expect(try rows[0].integer("n") == Int64(runner.knownVersion))
        }
    }

    @Test("a database newer than this build is refused", arguments: StoreKind.allCases)
    func schemaTooNew(kind: StoreKind) async throws {
        func check<Backend: SQLBackend>(_ backend: Backend) async throws {
            let runner = try MigrationRunner(backend: backend)
            try await backend.transaction { executor in
                try await executor.query("INSERT INTO schema_migrations (version, name, checksum, applied_at_ms) VALUES (9999, 'future', 'x', 0)")
            }
            await #expect(throws: StoreError.schemaTooNew(database: 9999, known: runner.knownVersion)) { try await runner.requireCurrent() }
            await #expect(throws: StoreError.schemaTooNew(database: 9999, known: runner.knownVersion)) { try await runner.apply() }
        }
        switch kind {
        case .sqlite: try await TestDatabase.withSQLite { try await check($0) }
        case .postgresql: try await TestDatabase.withPostgres { try await check($0) }
        }
    }

    @Test("an applied migration that was edited afterwards is refused")
    func editedMigration() async throws {
        try await TestDatabase.withSQLite { backend in
            try await backend.transaction { _ = try await $0.query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1") }
            await #expect(throws: MigrationError.checksumMismatch(version: 1)) { try await MigrationRunner(backend: backend).apply() }
        }
    }
}
