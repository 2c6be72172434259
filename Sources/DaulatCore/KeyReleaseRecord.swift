import Foundation

/// A custodian's own account of one key share it released: which decision it acted on, for whom and
/// why, when. The custodian signs it and has it appended to the audit log before it hands the share
/// over, so no release happens that the owner state's regulator cannot count — and a release whose
/// decision the log never recorded stands out in that state's report.
public struct KeyReleaseRecord: Hashable, Sendable, Codable {
    public static let signaturePurpose = "key release"

    public var custodianID: String
    public var decisionID: String
    public var request: UnwrapRequest
    /// The dataset's home, as the decision said: whose regulator counts the release.
    public var datasetHome: JurisdictionCode
    public var keyID: String
    /// Who signed the consent the decision carried.
    public var consentedBy: String
    public var releasedAt: Date
    /// The signed decision itself, as the custodian was shown it: whoever signed a decision the log
    /// does not hold can be named, and a custodian cannot invent one.
    public var decision: String

    public init(
        custodianID: String, decisionID: String, request: UnwrapRequest, datasetHome: JurisdictionCode,
        keyID: String, consentedBy: String, releasedAt: Date, decision: String
    ) {
        self.decision = decision
        self.custodianID = custodianID
        self.decisionID = decisionID
        self.request = request
        self.datasetHome = datasetHome
        self.keyID = keyID
        self.consentedBy = consentedBy
        self.releasedAt = releasedAt
    }

    /// What is signed: a purpose line, then the record's canonical JSON.
    public static func signedBytes(_ record: KeyReleaseRecord) throws -> Data {
        Data("daulat key release v1\n\(try CanonicalJSON.encode(record))".utf8)
    }
}
