/// Rows for one table, inserted together: the unit from which a change of several tables is built, so
/// the same change can run as statements in a transaction or as one statement on PostgreSQL.
struct SQLInsert: Sendable {
    let table: String
    let columns: [String]
    var rows: [[SQLValue]] = []

    init(into table: String, columns: [String], rows: [[SQLValue]] = []) {
        self.table = table
        self.columns = columns
        self.rows = rows
    }

    /// `INSERT INTO table (columns) VALUES (…), (…)`.
    var statement: SQLStatement {
        "INSERT INTO \(unsafeSQL: table) (\(unsafeSQL: columns.joined(separator: ", "))) VALUES \(values)"
    }

    /// The same rows inserted only if `condition` holds, for use inside a `WITH`: PostgreSQL evaluates
    /// the condition before it produces (and numbers) any row.
    func statement(onlyIf condition: String) -> SQLStatement {
        let names = columns.joined(separator: ", ")
        return """
            INSERT INTO \(unsafeSQL: table) (\(unsafeSQL: names)) \
            SELECT * FROM (VALUES \(values)) AS v (\(unsafeSQL: names)) WHERE \(unsafeSQL: condition)
            """
    }

    private var values: SQLStatement {
        var fragments: [SQLStatement.Fragment] = []
        for (rowIndex, row) in rows.enumerated() {
            fragments.append(.sql(rowIndex == 0 ? "(" : ", ("))
            for (columnIndex, value) in row.enumerated() {
                if columnIndex > 0 { fragments.append(.sql(", ")) }
                fragments.append(.parameter(value))
            }
            fragments.append(.sql(")"))
        }
        return SQLStatement(fragments: fragments)
    }
}
