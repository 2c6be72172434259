import DaulatCore

/// `POST /v1/datasets/{id}/objects/{objectId}/unwrap`, when allowed: the signed decision, and the
/// wrapped keys to show it with to their custodians.
public struct KeyRelease: Codable, Sendable {
    /// A signed ``UnwrapDecision``; each custodian accepts it once, before it expires.
    public var decision: String
    public var threshold: Int
    public var keys: [ObjectKey]
    /// Where each key's custodian is, as it last said; absent for one that has never reported.
    public var custodians: [CustodyPlan.Holder]
    public var caCertificate: String
}
