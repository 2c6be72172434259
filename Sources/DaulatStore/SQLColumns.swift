/// The column names of one result, shared by all its rows: each row keeps only its values, in column
/// order, so that reading many rows costs no dictionary per row.
public final class SQLColumns: Sendable {
    let positions: [String: Int]

    public init(_ names: [String]) {
        // A name given twice (two tables' `id` without aliases) reads as its first column.
        positions = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
