import DaulatCore
import Foundation

/// The copies a residency report lists, as the store holds them now, read a page at a time so that a
/// report of a million copies can be written out as it is read: first those stored in the jurisdiction,
/// host by host, then the copies of its own datasets held abroad, dataset by dataset.
struct CurrentCopies<Store: DaulatStore>: Sendable {
    let store: Store
    let evaluator: PolicyEvaluator
    let topology: Topology
    let jurisdiction: JurisdictionCode
    /// The instant the copies are judged at.
    let now: Date
    var pageSize = 5_000
    /// Datasets kept, with their evaluated policies, between pages; forgotten all at once past this many,
    /// so that memory stays flat however many datasets the copies belong to.
    var datasetsKept = 10_000

    /// Hands `body` every copy, a page at a time, each page in one direction. Returns the ids of the
    /// datasets at home in the jurisdiction, which it reads on the way.
    func forEachPage(_ body: (CopyDirection, [ReportedCopy]) async throws -> Void) async throws -> [String] {
        let places = topology.hostsWithSites
        var judged: [String: (dataset: Dataset, policy: EvaluatedPolicy)] = [:]
        for (hostID, place) in places.sorted(by: { $0.key < $1.key }) where place.site.jurisdiction == jurisdiction {
            var after: String?
            // A page short of full is the last: no query to learn that nothing follows.
            var more = true
            while more {
                let copies = try await store.copies(heldBy: hostID, after: after, limit: pageSize)
                more = copies.count == pageSize
                guard let last = copies.last else { break }
                after = last.objectID
                let missing = Set(copies.map(\.datasetID)).subtracting(judged.keys)
                if judged.count + missing.count > datasetsKept { judged = [:] }
                for dataset in try await store.datasets(
                    ids: Array(Set(copies.map(\.datasetID)).subtracting(judged.keys)))
                {
                    judged[dataset.id] = (dataset, try evaluator.evaluate(dataset, at: now))
                }
                // A copy of a dataset deleted between the two reads is no longer there to report.
                try await body(
                    .storedHere,
                    copies.compactMap { copy in
                        judged[copy.datasetID].map {
                            ReportedCopy(
                                objectID: copy.objectID, sizeBytes: copy.sizeBytes, of: $0.dataset, judgedBy: $0.policy,
                                on: place.host, at: place.site)
                        }
                    })
            }
        }

        var homeHere: [String] = []
        var cursor: String?
        repeat {
            let page = try await store.datasets(DatasetQuery(home: jurisdiction, cursor: cursor, limit: 1000))
            for dataset in page.datasets {
                homeHere.append(dataset.id)
                let policy = try evaluator.evaluate(dataset, at: now)
                var after: HeldCopy?
                var more = true
                while more {
                    let copies = try await store.copies(
                        ofDataset: dataset.id, outside: jurisdiction, after: after, limit: pageSize)
                    more = copies.count == pageSize
                    guard let last = copies.last else { break }
                    after = last
                    try await body(
                        .heldAbroad,
                        copies.compactMap { copy in
                            places[copy.hostID].map {
                                ReportedCopy(
                                    objectID: copy.objectID, sizeBytes: copy.sizeBytes, of: dataset, judgedBy: policy,
                                    on: $0.host, at: $0.site)
                            }
                        })
                }
            }
            cursor = page.nextCursor
        } while cursor != nil
        return homeHere
    }
}
