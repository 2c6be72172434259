import ArgumentParser
import DaulatStore
import Foundation
import Logging

/// `daulat migrate`: brings a database's schema up to this build.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the schema migrations this build carries.",
        discussion: """
            Safe to run again and to run twice at once: applied migrations are recorded and skipped, and \
            concurrent runs wait for each other. Refuses a database newer than this build.
            """
    )

    @Option(help: "PostgreSQL URL (or DAULAT_DATABASE_URL).") var databaseURL: String?
    @Option(help: "Migrate an SQLite file instead (as used by daulat dev).") var sqlite: String?

    func run() async throws {
        let logger = Logging.Logger(label: "daulat.migrate")
        if let sqlite {
            let backend = try await SQLiteBackend.open(path: sqlite, logger: logger)
            try await report(try MigrationRunner(backend: backend))
            try await backend.close()
            return
        }
        guard let url = databaseURL ?? ProcessInfo.processInfo.environment["DAULAT_DATABASE_URL"] else {
            throw ValidationError("no database: pass --database-url, set DAULAT_DATABASE_URL, or use --sqlite FILE")
        }
        let backend = try PostgresBackend(url: url, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await backend.client.run() }
            defer { group.cancelAll() }
            try await report(try MigrationRunner(backend: backend))
        }
    }

    private func report<Backend: SQLBackend>(_ runner: MigrationRunner<Backend>) async throws {
        let applied = try await runner.apply()
        if applied.isEmpty {
            print("schema is up to date (version \(runner.knownVersion))")
        } else {
            for migration in applied { print("applied \(String(format: "%04d", migration.version))_\(migration.name)") }
            print("schema is at version \(runner.knownVersion)")
        }
    }
}
