import DaulatCore
import Foundation

/// `POST /v1/custodians`.
struct CreateCustodianRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["id", "jurisdiction"] }

    var id: String
    var jurisdiction: JurisdictionCode
}

/// `POST /v1/datasets/{id}/objects/{objectId}/unwrap`: the owner state's signed ``UnwrapConsent``
/// says everything about the request (where the plaintext will be processed, why, the one-time key);
/// nothing beside it is taken from the caller.
struct UnwrapRequestBody: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["consent", "memberCertificate"] }

    /// Optional here only so that its absence gets its own answer (`owner_consent_required`).
    var consent: String?
    /// The signing member's certificate; absent when the home state's authority signed an order.
    var memberCertificate: String?
}

/// `GET /v1/custodians`: every custodian and what it last reported.
public struct CustodianList: Codable, Sendable {
    public struct Entry: Codable, Sendable {
        public var id: String
        public var jurisdiction: JurisdictionCode
        public var url: String?
        public var lastHeartbeat: Date?
        /// The identity key it last reported; clients give it keys only if its state's record pins it.
        public var identityKey: String?
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
