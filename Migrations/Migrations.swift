import Foundation

/// Locates the numbered SQL files shipped with the binary. The files themselves are the source of
/// truth for the schema: one directory per SQL dialect, `NNNN_name.sql`, forward-only.
public enum MigrationFiles {
    /// The directory holding the migrations for `dialect` (`postgresql` or `sqlite`).
    public static func directory(for dialect: String) -> URL? {
        Bundle.module.url(forResource: dialect, withExtension: nil)
    }
}
