import Foundation

/// The control plane's signed word that some custodians may hold keys for a dataset now. A custodian
/// hands out a public key for a dataset only against one naming it, so nobody can have it make keys
/// for datasets whose keys may not be held in its jurisdiction.
public struct KeyGrant: Hashable, Sendable, Codable {
    public static let signaturePurpose = "key grant"

    public var datasetID: String
    public var custodianIDs: [String]
    public var issuedAt: Date
    public var expiresAt: Date

    public init(datasetID: String, custodianIDs: [String], issuedAt: Date, expiresAt: Date) {
        self.datasetID = datasetID
        self.custodianIDs = custodianIDs
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }
}
