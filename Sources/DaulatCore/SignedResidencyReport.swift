import Foundation

/// A residency report as served and kept: the report, and the audit log key's Ed25519 signature over
/// ``signedBytes``. The file is the envelope's canonical JSON, so a single byte changed anywhere shows.
public struct SignedResidencyReport: Hashable, Sendable, Codable {
    public var report: ResidencyReport
    /// Base64.
    public var signature: String

    public init(report: ResidencyReport, signature: String) {
        self.report = report
        self.signature = signature
    }

    /// What is signed: a purpose line, then the report's canonical JSON.
    public static func signedBytes(_ report: ResidencyReport) throws -> Data {
        Data("daulat residency report v1\n\(try CanonicalJSON.encode(report))".utf8)
    }
}
