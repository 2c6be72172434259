import DaulatCore
import DaulatCrypto
import Foundation

/// Builds a jurisdiction's residency report from the store as it is now, with a tree head signed for
/// the occasion and the key-use entries it counts cited with their proofs, and signs it.
struct ResidencyReportBuilder<Store: DaulatStore>: Sendable {
    let store: Store
    let placements: PlacementService<Store>
    let tree: AuditTree<Store>

    func build(for jurisdiction: JurisdictionCode, at now: Date) async throws -> SignedResidencyReport {
        let head = try await tree.publish(at: now)
        let places = try await store.topology().hostsWithSites
        let evaluator = try await placements.snapshot().evaluator
        var datasets = DatasetCache(store: store)

        var storedHere: [ReportedCopy] = []
        for (hostID, place) in places.sorted(by: { $0.key < $1.key }) where place.site.jurisdiction == jurisdiction {
            for object in try await store.objects(heldBy: hostID) {
                guard let dataset = try await datasets.dataset(object.datasetID) else { continue }
                storedHere.append(
                    try Self.copy(object, of: dataset, on: place.host, at: place.site, evaluator: evaluator, now: now))
            }
        }
        var heldAbroad: [ReportedCopy] = []
        var cursor: String?
        repeat {
            let page = try await store.datasets(DatasetQuery(home: jurisdiction, cursor: cursor, limit: 1000))
            for dataset in page.datasets {
                datasets.keep(dataset)
                for object in try await store.objects(datasetID: dataset.id) {
                    for holder in object.holders.sorted() {
                        guard let place = places[holder], place.site.jurisdiction != jurisdiction else { continue }
                        heldAbroad.append(
                            try Self.copy(
                                object, of: dataset, on: place.host, at: place.site, evaluator: evaluator, now: now))
                    }
                }
            }
            cursor = page.nextCursor
        } while cursor != nil

        // Placements of the datasets that concern the jurisdiction: at home there, or held there.
        var violations: [ReportedViolation] = []
        for datasetID in Set((storedHere + heldAbroad).map(\.datasetID)).union(datasets.homeIn(jurisdiction)).sorted() {
            for violation in try await store.placement(datasetID: datasetID)?.violations ?? [] {
                violations.append(
                    ReportedViolation(datasetID: datasetID, kind: violation.kind.rawValue, message: violation.message))
            }
        }
        let evacuations = try await store.evacuations(EvacuationQuery(limit: 10_000)).filter {
            $0.jurisdiction == jurisdiction || $0.home == jurisdiction
        }

        // Key uses: every unwrap asked for a dataset at home here or to be processed here, cited.
        let merkle = try await tree.tree(size: head.size)
        var cited: [CitedEntry] = []
        var uses: [KeyUse] = []
        var position = 0
        var after = Int64.min
        while position < Int(head.size) {
            let page = try await store.auditEntries(after: after, limit: 10_000)
            guard let last = page.last else { break }
            for entry in page {
                defer { position += 1 }
                guard position < Int(head.size), entry.action.hasPrefix("key.unwrap_"),
                    let document = entry.after, var use = try? CanonicalJSON.decode(KeyUse.self, from: document)
                else { continue }
                // Entries written before uses recorded the dataset's home: it is looked up, if still there.
                if use.datasetHome == nil { use.datasetHome = try await datasets.dataset(use.request.datasetID)?.home }
                guard use.concerns(jurisdiction) else { continue }
                uses.append(use)
                cited.append(AuditTree<Store>.cite(entry, at: position, in: merkle, head: head))
            }
            after = last.sequence
        }
        return try tree.sign(
            ResidencyReport(
                jurisdiction: jurisdiction, generatedAt: CanonicalJSON.rounded(now), treeHead: head,
                storedHere: storedHere, heldAbroad: heldAbroad, violations: violations, evacuations: evacuations,
                keyUses: KeyUseCount.counting(uses), citedEntries: cited))
    }

    private static func copy(
        _ object: StoredObject, of dataset: Dataset, on host: StorageHost, at site: Site, evaluator: PolicyEvaluator,
        now: Date
    ) throws -> ReportedCopy {
        let policy = try evaluator.evaluate(dataset, at: now)
        let verdict = policy.storage.first { $0.jurisdiction == site.jurisdiction }
        return ReportedCopy(
            datasetID: dataset.id, datasetName: dataset.name, ownerAgency: dataset.ownerAgency, home: dataset.home,
            classification: dataset.classification, objectID: object.id, sizeBytes: object.sizeBytes,
            hostID: host.id, siteID: site.id, jurisdiction: site.jurisdiction,
            basis: verdict?.reason.detail ?? "\(site.jurisdiction.rawValue) is not a member jurisdiction",
            agreementID: verdict?.reason.agreementID, allowed: policy.permitsStorage(at: site))
    }
}
