import DaulatCore
import Foundation

extension DaulatStore {
    /// Has each state whose authority key is in `keys` sign the record of its ground the topology
    /// describes, where it has signed none or one that records other ground: what `daulat site sign`
    /// does for one state, as `daulat dev` plays every state of its example alliance.
    public func signJurisdictionRecords(
        by keys: [JurisdictionCode: StateSigningKey], at time: Date, actor: String
    ) async throws {
        let signed = try await jurisdictionRecords()
        let topology = try await topology()
        let custodians = try await custodians()
        for (jurisdiction, key) in keys.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let current = signed[jurisdiction].flatMap(JurisdictionRecordSignatures.claimed)
            let draft = JurisdictionRecord.draft(
                of: jurisdiction, topology: topology, custodians: custodians, version: (current?.version ?? 0) + 1,
                at: CanonicalJSON.rounded(time))
            if let current, current.recordsSameGround(as: draft) { continue }
            try await saveJurisdictionRecord(
                try JurisdictionRecordSignatures.sign(draft, with: key), jurisdiction: jurisdiction,
                version: draft.version, at: time, actor: actor)
        }
    }
}
