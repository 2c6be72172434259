/// The few column types the schema uses, the same in PostgreSQL and SQLite.
public enum SQLValue: Sendable, Equatable {
    case text(String)
    case integer(Int64)
    case null
}
