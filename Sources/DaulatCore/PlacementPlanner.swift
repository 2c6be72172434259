import Foundation

/// Chooses the hosts that must hold each dataset.
///
/// Every available host gets a weighted rendezvous score for the dataset (weight = its free bytes). A site
/// ranks by the best score among its hosts, which is distributed exactly like a single candidate weighted
/// by the site's total free bytes, and its first copy goes to that best host. Every score depends only on
/// the dataset and one host, so adding, removing or reweighting a host moves only the datasets whose
/// choices involve that host.
///
/// The planner never looks outside the storage jurisdictions that the evaluated policy allows. When the
/// allowed set cannot satisfy the policy it places what it can and reports a violation.
public struct PlacementPlanner: Sendable {
    struct IndexedSite: Sendable {
        let site: Site
        let hosts: [IndexedHost]
    }

    struct IndexedHost: Sendable {
        let host: StorageHost
        let key: UInt64
        let weight: Double
    }

    private let sites: [IndexedSite]
    private let unusableSites: [SiteExclusion]

    public init(topology: Topology) {
        var hostsBySite: [String: [IndexedHost]] = [:]
        for host in topology.hosts where host.status == .available && host.freeBytes > 0 {
            hostsBySite[host.siteID, default: []].append(
                IndexedHost(host: host, key: RendezvousHash.key(host.id), weight: Double(host.freeBytes))
            )
        }
        var sites: [IndexedSite] = []
        var unusable: [SiteExclusion] = []
        for site in topology.sites.sorted(by: { $0.id < $1.id }) {
            let hosts = (hostsBySite[site.id] ?? []).sorted { $0.host.id < $1.host.id }
            if hosts.isEmpty {
                unusable.append(SiteExclusion(siteID: site.id, reason: "no available host with free space"))
            } else {
                sites.append(IndexedSite(site: site, hosts: hosts))
            }
        }
        self.sites = sites
        self.unusableSites = unusable
    }

    public func plan(_ policy: EvaluatedPolicy, at time: Date) -> Placement {
        let item = RendezvousHash.key(policy.datasetID)
        var excluded: [SiteExclusion] = unusableSites
        var ranked: [(site: IndexedSite, score: Double)] = []
        ranked.reserveCapacity(sites.count)
        for candidate in sites {
            if policy.permitsStorage(at: candidate.site) {
                ranked.append((candidate, bestScore(in: candidate, item: item)))
            } else {
                excluded.append(SiteExclusion(siteID: candidate.site.id, reason: exclusionReason(candidate.site, policy)))
            }
        }
        ranked.sort { $0.score > $1.score }

        var choices: [PlacementChoice] = []
        var usedHosts = Set<String>()
        var usedSites = Set<String>()
        var usedDomains = Set<String>()
        var violations: [PlacementViolation] = []

        func choose(_ site: IndexedSite, reason: String) -> Bool {
            guard let host = bestHost(in: site, item: item, excluding: usedHosts) else { return false }
            usedHosts.insert(host.id)
            usedSites.insert(site.site.id)
            usedDomains.insert(site.site.failureDomain)
            choices.append(
                PlacementChoice(
                    hostID: host.id,
                    siteID: site.site.id,
                    jurisdiction: site.site.jurisdiction,
                    failureDomain: site.site.failureDomain,
                    reason: reason
                )
            )
            return true
        }

        if policy.homeReplicaRequired {
            if let home = ranked.firstIndex(where: { $0.site.site.jurisdiction == policy.home && $0.site.site.embassyOf == nil }) {
                _ = choose(
                    ranked[home].site,
                    reason: "home replica: highest-ranked of the eligible sites in the home jurisdiction \(policy.home)"
                )
            } else {
                violations.append(
                    PlacementViolation(
                        kind: .noHomeReplica,
                        message: "a home replica is required but no site in \(policy.home) has an available host with free space"
                    )
                )
            }
        }
        for (rank, entry) in ranked.enumerated() where choices.count < policy.replicas {
            let site = entry.site.site
            guard !usedSites.contains(site.id), !usedDomains.contains(site.failureDomain) else { continue }
            _ = choose(
                entry.site,
                reason: "rank \(rank + 1) of \(ranked.count) eligible sites; new site in new failure domain '\(site.failureDomain)'"
            )
        }
        for (rank, entry) in ranked.enumerated() where choices.count < policy.replicas {
            let site = entry.site.site
            guard !usedSites.contains(site.id) else { continue }
            _ = choose(
                entry.site,
                reason: "rank \(rank + 1) of \(ranked.count) eligible sites; new site, but every eligible failure domain already holds a copy"
            )
        }
        var progress = true
        while choices.count < policy.replicas && progress {
            progress = false
            for entry in ranked where choices.count < policy.replicas {
                if choose(entry.site, reason: "another host in site '\(entry.site.site.id)': fewer eligible sites than replicas") {
                    progress = true
                }
            }
        }

        if choices.count < policy.replicas {
            violations.append(
                PlacementViolation(
                    kind: .underReplicated,
                    message: "policy asks for \(policy.replicas) replicas but only \(choices.count) eligible hosts exist in the allowed jurisdictions \(allowedList(policy))"
                )
            )
        }
        if usedSites.count < policy.minDistinctSites {
            violations.append(
                PlacementViolation(
                    kind: .tooFewSites,
                    message: "policy asks for \(policy.minDistinctSites) distinct sites but only \(usedSites.count) eligible sites exist in the allowed jurisdictions \(allowedList(policy))"
                )
            )
        }
        return Placement(
            datasetID: policy.datasetID,
            computedAt: time,
            choices: choices,
            excludedSites: excluded.sorted { $0.siteID < $1.siteID },
            violations: violations
        )
    }

    private func bestHost(in site: IndexedSite, item: UInt64, excluding used: Set<String>) -> StorageHost? {
        var best: IndexedHost?
        var bestScore = -Double.infinity
        for candidate in site.hosts where !used.contains(candidate.host.id) {
            let score = RendezvousHash.score(item: item, candidate: candidate.key, weight: candidate.weight)
            if score > bestScore {
                best = candidate
                bestScore = score
            }
        }
        return best?.host
    }

    private func bestScore(in site: IndexedSite, item: UInt64) -> Double {
        site.hosts.reduce(-Double.infinity) {
            max($0, RendezvousHash.score(item: item, candidate: $1.key, weight: $1.weight))
        }
    }

    private func allowedList(_ policy: EvaluatedPolicy) -> String {
        "(" + policy.allowed(.storage).sorted().map(\.rawValue).joined(separator: ", ") + ")"
    }

    private func exclusionReason(_ site: Site, _ policy: EvaluatedPolicy) -> String {
        guard let verdict = policy.storage.first(where: { $0.jurisdiction == site.jurisdiction }) else {
            return "\(site.jurisdiction) is not a member jurisdiction"
        }
        if !verdict.allowed { return verdict.reason.detail }
        if let embassyOf = site.embassyOf {
            return "data-embassy site of \(embassyOf); it serves only datasets at home in \(embassyOf)"
        }
        return "\(site.jurisdiction) is allowed only at data-embassy sites of \(policy.home)"
    }
}
