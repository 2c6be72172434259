import DaulatCore

/// `GET /v1/datasets/{id}/custody`: to whom a new object's data key is to be wrapped now, and the
/// signed grant those custodians want before they hand out their public keys for the dataset.
public struct CustodyPlan: Codable, Sendable {
    /// A custodian and where to reach it.
    public struct Holder: Codable, Sendable {
        public var custodianID: String
        public var jurisdiction: JurisdictionCode
        public var url: String
        /// The name the custodian's certificate carries for its current enrolment: dial `url` by it.
        public var peerName: String
    }

    public var datasetID: String
    /// How many custodians must each release their share for the key to open: 1 means the whole key is
    /// wrapped to each of them, and any one can release it.
    public var threshold: Int
    public var custodians: [Holder]
    /// A signed ``KeyGrant``.
    public var grant: String
    /// The alliance's authority, which custodians' certificates chain to.
    public var caCertificate: String
}
