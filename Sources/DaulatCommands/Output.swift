import Foundation

/// Prints a response as JSON (pretty, for scripts to parse) or hands it to a table renderer.
enum Output {
    static func print(_ data: Data, format: OutputFormat, table: () throws -> Table) throws {
        switch format {
        case .json:
            let object = try JSONSerialization.jsonObject(with: data)
            let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            Swift.print(String(decoding: pretty, as: UTF8.self))
        case .table:
            Swift.print(try table().render())
        }
    }
}
