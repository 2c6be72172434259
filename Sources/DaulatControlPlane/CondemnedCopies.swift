import DaulatCore

/// Quarantined copies their home state decided to destroy: released by
/// ``ReleaseRule/mayDestroy(copyOn:holders:condemned:)``, once a copy that stays exists elsewhere.
struct CondemnedCopies<Store: DaulatStore>: Sendable {
    let store: Store

    /// Of `held` (objects `hostID` holds), those whose copy there may go on such a decision now.
    func releasable(from held: [StoredObject], on hostID: String) async throws -> [StoredObject] {
        let condemnedHere = Set(
            try await store.evacuations(EvacuationQuery(hostID: hostID, openOnly: true, limit: .max))
                .filter(\.isToBeDestroyed).map(\.objectID))
        guard !condemnedHere.isEmpty else { return [] }
        var releasable: [StoredObject] = []
        for object in held where condemnedHere.contains(object.id) {
            if try await mayRelease(object, on: hostID) { releasable.append(object) }
        }
        return releasable
    }

    /// Whether `hostID`'s copy of `object` may go on its home state's decision to destroy it.
    func mayRelease(_ object: StoredObject, on hostID: String) async throws -> Bool {
        let condemned = Set(
            try await store.evacuations(EvacuationQuery(objectID: object.id, openOnly: true, limit: .max))
                .filter(\.isToBeDestroyed).map(\.hostID))
        return ReleaseRule.mayDestroy(copyOn: hostID, holders: object.holders, condemned: condemned)
    }
}
