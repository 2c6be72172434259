import Foundation
import Testing

/// Test data kept beside the repository in `../shared/testdata` (it is not ours to copy in): found
/// there, or where an environment variable says, and a clear failure when it is missing.
public enum SharedTestData {
    /// The RFC 6962 Merkle vectors of transparency-dev/merkle (Apache-2.0): `inclusion/` and
    /// `consistency/`. `DAULAT_RFC6962_TESTDATA` overrides where they are.
    public static func rfc6962(_ kind: String) throws -> URL {
        let base: URL
        if let path = ProcessInfo.processInfo.environment["DAULAT_RFC6962_TESTDATA"] {
            base = URL(fileURLWithPath: path)
        } else {
            // Sources/DaulatTestSupport/this file → the repository → beside it.
            base = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("shared/testdata/rfc6962/testdata")
        }
        let directory = base.appendingPathComponent(kind)
        try #require(
            FileManager.default.fileExists(atPath: directory.path),
            "the RFC 6962 test vectors are missing: expected them at \(directory.path) (../shared/testdata/rfc6962 beside the repository, or set DAULAT_RFC6962_TESTDATA)"
        )
        return directory
    }

    /// Every `.json` file under `directory`, in path order.
    public static func jsonFiles(under directory: URL) throws -> [URL] {
        try #require(FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }.sorted { $0.path < $1.path }
    }
}
