import DaulatCore
import Foundation

/// The copies a residency report lists, as the store holds them now, read a batch at a time so that
/// a report of a million copies can be written out as it is read: those stored in the jurisdiction,
/// and the copies of its own datasets held abroad, in the order the database finds them.
struct CurrentCopies<Store: DaulatStore>: Sendable {
    let store: Store
    let evaluator: PolicyEvaluator
    let topology: Topology
    let jurisdiction: JurisdictionCode
    /// The instant the copies are judged at.
    let now: Date
    var batchSize = 5_000
    /// Datasets kept, with their evaluated policies, between batches; forgotten all at once past this
    /// many, so that memory stays flat however many datasets the copies belong to.
    var datasetsKept = 10_000

    /// Hands `body` every copy, a batch at a time, with what the report says of each: `judge` gives it
    /// as the report lists it, or nil for a copy of a dataset deleted since the copies were read. The
    /// copies are read by the hosts this report's topology puts in the jurisdiction, so a host moving
    /// meanwhile changes nothing in it.
    func forEachBatch(_ body: (_ batch: [CopyHolding], _ judge: (CopyHolding) -> ReportedCopy?) async throws -> Void)
        async throws
    {
        let places = topology.hostsWithSites
        var judged: [String: (dataset: Dataset, policy: EvaluatedPolicy)] = [:]
        let here = places.filter { $0.value.site.jurisdiction == jurisdiction }.keys.sorted()
        try await store.copies(onHosts: here, orOfDatasetsAt: jurisdiction, batchSize: batchSize) { copies in
            let needed = Set(copies.map(\.datasetID))
            if judged.count + needed.subtracting(judged.keys).count > datasetsKept { judged = [:] }
            for dataset in try await store.datasets(ids: Array(needed.subtracting(judged.keys))) {
                judged[dataset.id] = (dataset, try evaluator.evaluate(dataset, at: now))
            }
            try await body(copies) { copy in
                guard let (dataset, policy) = judged[copy.datasetID], let (host, site) = places[copy.hostID] else {
                    return nil
                }
                return ReportedCopy(
                    objectID: copy.objectID, sizeBytes: copy.sizeBytes, of: dataset, judgedBy: policy, on: host,
                    at: site)
            }
        }
    }

    /// Which part of the report `copy` belongs to.
    func direction(of copy: ReportedCopy) -> CopyDirection {
        copy.jurisdiction == jurisdiction ? .storedHere : .heldAbroad
    }
}
