import DaulatCore
import DaulatCrypto
import Foundation

/// Builds a jurisdiction's residency report from the store as it is now, or as it was at a past
/// instant replayed from the audit log, with a tree head signed for the occasion and the key-use
/// entries it counts cited with their proofs, and signs it.
struct ResidencyReportBuilder<Store: DaulatStore>: Sendable {
    let store: Store
    let placements: PlacementService<Store>
    let tree: AuditTree<Store>

    /// The report generated `now`, describing the store as it is, or, given `asAt`, the instant
    /// `asAt` as replayed from the audit log.
    func build(for jurisdiction: JurisdictionCode, at now: Date, asAt: Date? = nil) async throws
        -> SignedResidencyReport
    {
        let head = try await tree.publish(at: now)
        let topology = try await store.topology()
        let places = topology.hostsWithSites
        var datasets = DatasetCache(store: store)

        // One pass over the log up to the head: the key uses to count and cite, and, for a past
        // instant, everything else the report says about then.
        let merkle = try await tree.tree(size: head.size)
        var replay = asAt.map { ResidencyReplay(at: CanonicalJSON.rounded($0)) }
        var cited: [CitedEntry] = []
        var uses: [KeyUse] = []
        var position = 0
        var after = Int64.min
        while position < Int(head.size) {
            let page = try await store.auditEntries(after: after, limit: 10_000)
            guard let last = page.last else { break }
            for entry in page {
                defer { position += 1 }
                guard position < Int(head.size) else { continue }
                replay?.apply(entry)
                guard entry.action.hasPrefix("key.unwrap_"), replay.map({ entry.at <= $0.at }) ?? true,
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

        let described: (storedHere: [ReportedCopy], heldAbroad: [ReportedCopy], violations: [ReportedViolation])
        let evacuations: [Evacuation]
        let concerns = { (evacuation: Evacuation) in
            evacuation.jurisdiction == jurisdiction || evacuation.home == jurisdiction
        }
        if let replay {
            described = try await then(replay, for: jurisdiction, topology: topology)
            // As each stood then, from its own entries: newest first, as the store lists them.
            evacuations = replay.evacuations.values.filter(concerns).sorted {
                ($0.startedAt, $0.id) > ($1.startedAt, $1.id)
            }
        } else {
            described = try await current(for: jurisdiction, places: places, datasets: &datasets, now: now)
            evacuations = try await store.evacuations(EvacuationQuery(limit: 10_000)).filter(concerns)
        }
        return try tree.sign(
            ResidencyReport(
                jurisdiction: jurisdiction, generatedAt: CanonicalJSON.rounded(now), treeHead: head,
                storedHere: described.storedHere, heldAbroad: described.heldAbroad, violations: described.violations,
                evacuations: evacuations, keyUses: KeyUseCount.counting(uses), citedEntries: cited,
                asAt: replay?.at))
    }

    /// Copies and violations as the store holds them now.
    private func current(
        for jurisdiction: JurisdictionCode, places: [String: (host: StorageHost, site: Site)],
        datasets: inout DatasetCache<Store>, now: Date
    ) async throws -> (storedHere: [ReportedCopy], heldAbroad: [ReportedCopy], violations: [ReportedViolation]) {
        let evaluator = try await placements.snapshot().evaluator
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
        return (storedHere, heldAbroad, violations)
    }

    /// Copies and violations at the replayed instant: the copies the log had recorded and not released
    /// by then, judged by the agreements as they then stood (the alliance's members, groups, rules and
    /// sites as they are now), on the hosts where they then stood, and the violations of each
    /// placement as last planned by then.
    private func then(
        _ replay: ResidencyReplay, for jurisdiction: JurisdictionCode,
        topology: Topology
    ) async throws -> (storedHere: [ReportedCopy], heldAbroad: [ReportedCopy], violations: [ReportedViolation]) {
        let evaluator = PolicyEvaluator(
            alliance: try await placements.snapshot().evaluator.alliance,
            agreements: replay.agreements.values.sorted { $0.id < $1.id })
        var storedHere: [ReportedCopy] = []
        var heldAbroad: [ReportedCopy] = []
        let places = topology.hostsWithSites
        let sites = Dictionary(uniqueKeysWithValues: topology.sites.map { ($0.id, $0) })
        for (object, dataset, hostID) in replay.heldCopies {
            // Where the host stood then: it may have moved site since.
            guard let host = replay.hosts[hostID] ?? places[hostID]?.host, let site = sites[host.siteID] else {
                continue
            }
            let place = (host: host, site: site)
            if place.site.jurisdiction == jurisdiction {
                storedHere.append(
                    try Self.copy(
                        object, of: dataset, on: place.host, at: place.site, evaluator: evaluator, now: replay.at))
            } else if dataset.home == jurisdiction {
                heldAbroad.append(
                    try Self.copy(
                        object, of: dataset, on: place.host, at: place.site, evaluator: evaluator, now: replay.at))
            }
        }
        let homeHere = replay.datasets.values.filter { $0.home == jurisdiction }.map(\.id)
        var violations: [ReportedViolation] = []
        for datasetID in Set((storedHere + heldAbroad).map(\.datasetID)).union(homeHere).sorted() {
            for violation in replay.placements[datasetID]?.violations ?? [] {
                violations.append(
                    ReportedViolation(datasetID: datasetID, kind: violation.kind.rawValue, message: violation.message))
            }
        }
        return (storedHere, heldAbroad, violations)
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
