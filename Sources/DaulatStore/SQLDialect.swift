/// The SQL dialects Daulat speaks. Statements the store issues are written in their common subset;
/// only the schema (one migration directory per dialect) differs.
public enum SQLDialect: String, Sendable {
    case postgresql
    case sqlite
}
