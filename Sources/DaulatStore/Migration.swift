import Crypto
import DaulatCore
import DaulatMigrations
import Foundation

/// One numbered schema change, read from `Migrations/<dialect>/NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String
    /// SHA-256 of the file, recorded when applied so that an edited, already-applied migration is noticed.
    public let checksum: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = Hex.encode(SHA256.hash(data: Data(sql.utf8)))
    }

    /// Every migration shipped for `dialect`, in version order.
    public static func bundled(for dialect: SQLDialect) throws -> [Migration] {
        guard let directory = MigrationFiles.directory(for: dialect.rawValue) else {
            throw MigrationError.missingFiles(dialect.rawValue)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }
        var migrations: [Migration] = []
        for file in files {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
                throw MigrationError.badFileName(file)
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrations.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        for (index, migration) in migrations.enumerated() where migration.version != index + 1 {
            throw MigrationError.gap(expected: index + 1, found: migration.version)
        }
        return migrations
    }

    /// The file split into single statements. Statements end at a `;` that ends a line, except inside a
    /// dollar-quoted body (PostgreSQL functions) or a `BEGIN … END;` trigger body (SQLite).
    public var statements: [String] {
        var statements: [String] = []
        var current: [String] = []
        var inDollarQuote = false
        var inTriggerBody = false
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current.isEmpty && (trimmed.isEmpty || trimmed.hasPrefix("--")) { continue }
            current.append(String(line))
            if line.components(separatedBy: "$$").count % 2 == 0 { inDollarQuote.toggle() }
            if inDollarQuote { continue }
            let upper = trimmed.uppercased()
            if upper.hasSuffix("BEGIN") { inTriggerBody = true }
            if inTriggerBody {
                if upper == "END;" {
                    inTriggerBody = false
                    statements.append(current.joined(separator: "\n"))
                    current = []
                }
                continue
            }
            if trimmed.hasSuffix(";") {
                statements.append(current.joined(separator: "\n"))
                current = []
            }
        }
        if !current.isEmpty { statements.append(current.joined(separator: "\n")) }
        return statements
    }
}

/// The shipped migrations are not in a usable state; a packaging fault, not a user error.
public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case missingFiles(String)
    case badFileName(String)
    case gap(expected: Int, found: Int)
    case checksumMismatch(version: Int)

    public var description: String {
        switch self {
        case .missingFiles(let dialect): "the \(dialect) migrations are missing from this installation"
        case .badFileName(let file): "migration file '\(file)' is not named NNNN_name.sql"
        case .gap(let expected, let found): "migrations must be numbered without gaps: expected \(expected), found \(found)"
        case .checksumMismatch(let version):
            "migration \(version) was changed after it was applied; migrations are forward-only, add a new one instead"
        }
    }
}
