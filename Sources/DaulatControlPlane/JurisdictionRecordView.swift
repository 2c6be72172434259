import DaulatCore

/// A state's record of its ground as `GET /v1/jurisdictions/{code}/record` shows it: what its authority
/// last signed, and the draft the control plane's topology asks it to sign next.
public struct JurisdictionRecordView: Codable, Sendable {
    public var jurisdiction: JurisdictionCode
    /// The signed text, as agents and custodians receive it; nil until the state signs a first record.
    public var signed: String?
    /// What `signed` says.
    public var record: JurisdictionRecord?
    /// The record the topology describes now, at the next version: what `daulat site sign` signs.
    public var draft: JurisdictionRecord
    /// Whether the signed record records the same ground as the draft. When it does not, hosts and
    /// custodians the state has not signed in hold and release nothing, whatever the database says.
    public var current: Bool

    /// Whether the signed record stands site `id` on this soil with the hosts the topology has there.
    public func signs(site id: String) -> Bool {
        guard let record, record.sites.contains(id) else { return false }
        return draft.hosts.filter { $0.value == id }.allSatisfy { record.hosts[$0.key] == id }
    }
}
