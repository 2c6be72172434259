import DaulatCore
import DaulatCrypto
import Foundation
import Hummingbird

/// Builds a jurisdiction's residency report from the store as it is now, or as it was at a past
/// instant replayed from the audit log, with a tree head signed for the occasion and the key-use
/// entries it counts cited with their proofs, and signs it.
struct ResidencyReportBuilder<Store: DaulatStore>: Sendable {
    let store: Store
    let placements: PlacementService<Store>
    let tree: AuditTree<Store>
    let streams = ReportStreams()

    /// The report generated `now`, describing the store as it is, or, given `asAt`, the instant
    /// `asAt` as replayed from the audit log.
    func build(for jurisdiction: JurisdictionCode, at now: Date, asAt: Date? = nil) async throws
        -> SignedResidencyReport
    {
        // Each reads the whole audit log: no more at once than CSV reports stream, in the same slots,
        // whether asked for by the API or by dashboard pages.
        let slot = try streams.admit()
        defer { withExtendedLifetime(slot) {} }
        let head = try await tree.publish(at: now)
        var datasets = DatasetCache(store: store)

        // One pass over the log up to the head: the key uses to count and cite, and, for a past
        // instant, everything else the report says about then.
        let merkle = try await tree.tree(size: head.size)
        var replay = asAt.map { ResidencyReplay(at: CanonicalJSON.rounded($0)) }
        var cited: [CitedEntry] = []
        var tally = KeyReleaseTally()
        var position = 0
        var after = Int64.min
        while position < Int(head.size) {
            let page = try await store.auditEntries(after: after, limit: 10_000)
            guard let last = page.last else { break }
            for entry in page {
                defer { position += 1 }
                guard position < Int(head.size) else { continue }
                replay?.apply(entry)
                guard entry.action.hasPrefix("key."), replay.map({ entry.at <= $0.at }) ?? true,
                    let document = entry.after
                else { continue }
                if entry.action == "key.released" {
                    guard let release = try? CanonicalJSON.decode(SignedKeyRelease.self, from: document),
                        release.record.concerns(jurisdiction)
                    else { continue }
                    tally.add(release.record)
                } else {
                    guard entry.action.hasPrefix("key.unwrap_"),
                        var use = try? CanonicalJSON.decode(KeyUse.self, from: document)
                    else { continue }
                    // Entries written before uses recorded the dataset's home: it is looked up, if still there.
                    if use.datasetHome == nil {
                        use.datasetHome = try await datasets.dataset(use.request.datasetID)?.home
                    }
                    guard use.concerns(jurisdiction) else { continue }
                    tally.add(use)
                }
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
            described = try await then(replay, for: jurisdiction, topology: try await store.topology())
            // As each stood then, from its own entries: newest first, as the store lists them.
            evacuations = replay.evacuations.values.filter(concerns).sorted {
                ($0.startedAt, $0.id) > ($1.startedAt, $1.id)
            }
        } else {
            described = try await current(for: jurisdiction, now: now)
            evacuations = try await store.evacuations(EvacuationQuery(limit: 10_000)).filter(concerns)
        }
        return try tree.sign(
            ResidencyReport(
                jurisdiction: jurisdiction, generatedAt: CanonicalJSON.rounded(now), treeHead: head,
                // In one order whether now or replayed: stored here by host and object, held abroad by
                // dataset, object and host.
                storedHere: described.storedHere.sorted { ($0.hostID, $0.objectID) < ($1.hostID, $1.objectID) },
                heldAbroad: described.heldAbroad.sorted {
                    ($0.datasetID, $0.objectID, $0.hostID) < ($1.datasetID, $1.objectID, $1.hostID)
                }, violations: described.violations,
                evacuations: evacuations, keyUses: KeyUseCount.counting(tally.uses), keyReleases: tally.releases,
                unloggedReleases: tally.unlogged, citedEntries: cited,
                asAt: replay?.at))
    }

    /// The CSV of the copies as they are now, streamed to the request's connection; 503 `reports_busy`
    /// when as many are streaming as the database's connections allow.
    func streamedCSV(for jurisdiction: JurisdictionCode, at now: Date, context: ControlPlaneContext) async throws
        -> Response
    {
        let slot = try streams.admit()
        return ResidencyReportCSV.streamed(
            try await currentCopies(for: jurisdiction, at: now), on: context.channel, slot: slot,
            logger: context.logger)
    }

    /// The copies the report lists now, to be read a batch at a time.
    func currentCopies(for jurisdiction: JurisdictionCode, at now: Date) async throws -> CurrentCopies<Store> {
        CurrentCopies(
            store: store, evaluator: try await placements.snapshot().evaluator, topology: try await store.topology(),
            jurisdiction: jurisdiction, now: now)
    }

    /// Copies and violations as the store holds them now.
    private func current(for jurisdiction: JurisdictionCode, now: Date) async throws -> (
        storedHere: [ReportedCopy], heldAbroad: [ReportedCopy], violations: [ReportedViolation]
    ) {
        var storedHere: [ReportedCopy] = []
        var heldAbroad: [ReportedCopy] = []
        let copies = try await currentCopies(for: jurisdiction, at: now)
        try await copies.forEachBatch { batch, judge in
            for copy in batch.compactMap(judge) {
                switch copies.direction(of: copy) {
                case .storedHere: storedHere.append(copy)
                case .heldAbroad: heldAbroad.append(copy)
                }
            }
        }
        var homeHere: Set<String> = []
        try await store.forEachDataset(DatasetQuery(home: jurisdiction)) { homeHere.insert($0.id) }
        return (
            storedHere, heldAbroad,
            try await violations(of: homeHere, storedHere + heldAbroad) {
                try await store.placement(datasetID: $0)
            }
        )
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
        var policies: [String: EvaluatedPolicy] = [:]
        let places = topology.hostsWithSites
        let sites = Dictionary(uniqueKeysWithValues: topology.sites.map { ($0.id, $0) })
        for (object, dataset, hostID) in replay.heldCopies {
            // Where the host stood then: it may have moved site since.
            guard let host = replay.hosts[hostID] ?? places[hostID]?.host, let site = sites[host.siteID],
                site.jurisdiction == jurisdiction || dataset.home == jurisdiction
            else {
                continue
            }
            let policy = try policies[dataset.id] ?? evaluator.evaluate(dataset, at: replay.at)
            policies[dataset.id] = policy
            let copy = ReportedCopy(
                objectID: object.id, sizeBytes: object.sizeBytes, of: dataset, judgedBy: policy, on: host, at: site)
            if site.jurisdiction == jurisdiction { storedHere.append(copy) } else { heldAbroad.append(copy) }
        }
        let homeHere = Set(replay.datasets.values.filter { $0.home == jurisdiction }.map(\.id))
        return (
            storedHere, heldAbroad,
            try await violations(of: homeHere, storedHere + heldAbroad) {
                replay.placements[$0]
            }
        )
    }

    /// The violations of the placements of the datasets that concern the jurisdiction: at home there
    /// (`homeHere`), or with a copy listed.
    private func violations(
        of homeHere: Set<String>, _ copies: [ReportedCopy], placement: (String) async throws -> Placement?
    ) async throws -> [ReportedViolation] {
        var violations: [ReportedViolation] = []
        for datasetID in Set(copies.map(\.datasetID)).union(homeHere).sorted() {
            for violation in try await placement(datasetID)?.violations ?? [] {
                violations.append(
                    ReportedViolation(datasetID: datasetID, kind: violation.kind.rawValue, message: violation.message))
            }
        }
        return violations
    }
}
