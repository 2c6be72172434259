import DaulatCore
import Foundation

/// `POST /v1/agreements/{id}/amendments`: the terms of the agreement's next version. The parties stay
/// the same; what is left out keeps the current version's value (`until` only by naming it).
struct AmendAgreementRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["name", "classifications", "purposes", "from", "until"] }

    var name: String?
    var classifications: [String]?
    var purposes: [AgreementPurpose]?
    var from: Date?
    var until: Date?
}
