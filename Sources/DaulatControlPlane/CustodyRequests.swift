import DaulatCore
import Foundation

/// `POST /v1/custodians`.
struct CreateCustodianRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["id", "jurisdiction"] }

    var id: String
    var jurisdiction: JurisdictionCode
}

/// `POST /v1/datasets/{id}/objects/{objectId}/unwrap`.
struct UnwrapRequestBody: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["jurisdiction", "justification", "reference", "requesterKey"] }

    /// Where the plaintext will be processed, as the requester declares it (kept in the audit log).
    var jurisdiction: JurisdictionCode
    var justification: Justification
    var reference: String?
    /// A one-time P-256 public key (X9.63, base64) the custodians re-wrap their shares to.
    var requesterKey: String
}

/// `GET /v1/custodians`: every custodian and what it last reported.
public struct CustodianList: Codable, Sendable {
    public struct Entry: Codable, Sendable {
        public var id: String
        public var jurisdiction: JurisdictionCode
        public var url: String?
        public var lastHeartbeat: Date?
    }

    public var custodians: [Entry]
}

/// `POST /v1/custodians/{id}/rotate`.
struct RotateKeyRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["datasetID"] }

    var datasetID: String
}

/// `GET /v1/custodians/{id}/tasks`: a custodian's work, done and open, oldest first.
public struct CustodyTaskList: Codable, Sendable {
    public var tasks: [CustodyTask]
}
