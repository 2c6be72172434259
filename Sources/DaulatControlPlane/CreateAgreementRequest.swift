import DaulatCore
import Foundation

/// `POST /v1/agreements`: a new agreement always starts as a draft.
struct CreateAgreementRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["id", "name", "parties", "classifications", "purposes", "from", "until"] }

    var id: String
    var name: String
    var parties: [JurisdictionCode]
    var classifications: [String]
    var purposes: [AgreementPurpose]
    var from: Date
    var until: Date?
}
