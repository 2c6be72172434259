import Foundation

/// What each party's authority signs to bring an agreement into force: everything that decides what
/// it admits, and its version, so a signature on one version never counts for an amended one.
public struct AgreementTerms: Codable, Sendable, Hashable {
    public static let signaturePurpose = "agreement"

    public var id: String
    public var version: Int
    public var name: String
    public var parties: [JurisdictionCode]
    public var classifications: [String]
    public var purposes: [AgreementPurpose]
    public var from: Date
    public var until: Date?

    public init(
        id: String, version: Int, name: String, parties: [JurisdictionCode], classifications: [String],
        purposes: [AgreementPurpose], from: Date, until: Date?
    ) {
        self.id = id
        self.version = version
        self.name = name
        self.parties = parties
        self.classifications = classifications
        self.purposes = purposes
        self.from = from
        self.until = until
    }
}
