import Foundation

/// Chooses the hosts that must hold each dataset.
///
/// Every available host gets a weighted rendezvous score for the dataset. A site ranks by the best score
/// among its hosts, which is distributed exactly like a single candidate weighted by the site's total,
/// and its first copy goes to that best host. Every score depends only on the dataset and one host, so
/// adding, removing or reweighting a host moves only the datasets whose choices involve that host.
///
/// A host's weight is its free space rounded down to one of eight steps per doubling (about 9% apart).
/// Free space changes with every write; the steps keep placements from churning with it. They also make
/// the planner fast: hosts of a site that share a weight are compared by hash alone, and only the best of
/// each group needs a logarithm.
///
/// The planner never looks outside the storage jurisdictions that the evaluated policy allows. When the
/// allowed set cannot satisfy the policy it places what it can and reports a violation.
public struct PlacementPlanner: Sendable {
    /// A site of the topology with at least one available host, its hosts grouped by weight. Only plain
    /// values, so the per-dataset loops touch no reference counts; the ``Site`` itself is in ``sites``.
    struct SiteEntry: Sendable {
        let jurisdiction: Int
        /// The jurisdiction whose embassy this site is, or -1.
        let embassyOf: Int
        let failureDomain: Int
        let groups: Range<Int>
    }

    /// Hosts of one site with the same weight: `hosts` indexes ``hostKeys`` and ``hosts``.
    struct WeightGroup: Sendable {
        let weight: Double
        let hosts: Range<Int>
    }

    private let sites: [Site]
    private let entries: [SiteEntry]
    private let groups: [WeightGroup]
    private let hosts: [StorageHost]
    private let hostKeys: [UInt64]
    private let jurisdictionIndex: [JurisdictionCode: Int]
    private let failureDomainCount: Int
    private let unusableSites: [SiteExclusion]

    public init(topology: Topology) {
        var available: [String: [StorageHost]] = [:]
        for host in topology.hosts where host.status == .available && host.freeBytes > 0 {
            available[host.siteID, default: []].append(host)
        }
        var jurisdictionIndex: [JurisdictionCode: Int] = [:]
        func index(of code: JurisdictionCode) -> Int {
            if let existing = jurisdictionIndex[code] { return existing }
            jurisdictionIndex[code] = jurisdictionIndex.count
            return jurisdictionIndex.count - 1
        }
        var domainIndex: [String: Int] = [:]
        var sites: [Site] = []
        var entries: [SiteEntry] = []
        var groups: [WeightGroup] = []
        var hosts: [StorageHost] = []
        var unusable: [SiteExclusion] = []
        for site in topology.sites.sorted(by: { $0.id < $1.id }) {
            let siteHosts = (available[site.id] ?? []).sorted { $0.id < $1.id }
            guard !siteHosts.isEmpty else {
                unusable.append(SiteExclusion(siteID: site.id, reason: "no available host with free space"))
                continue
            }
            let firstGroup = groups.count
            let byWeight = Dictionary(grouping: siteHosts) { Self.weight(freeBytes: $0.freeBytes) }
            for weight in byWeight.keys.sorted() {
                let members = byWeight[weight]!
                groups.append(WeightGroup(weight: weight, hosts: hosts.count..<(hosts.count + members.count)))
                hosts += members
            }
            if domainIndex[site.failureDomain] == nil { domainIndex[site.failureDomain] = domainIndex.count }
            sites.append(site)
            entries.append(
                SiteEntry(
                    jurisdiction: index(of: site.jurisdiction),
                    embassyOf: site.embassyOf.map(index(of:)) ?? -1,
                    failureDomain: domainIndex[site.failureDomain]!,
                    groups: firstGroup..<groups.count
                )
            )
        }
        self.sites = sites
        self.entries = entries
        self.groups = groups
        self.hosts = hosts
        self.hostKeys = hosts.map { RendezvousHash.key($0.id) }
        self.jurisdictionIndex = jurisdictionIndex
        self.failureDomainCount = domainIndex.count
        self.unusableSites = unusable
    }

    /// A host's weight: its free bytes rounded down to a step of 2^(1/8).
    static func weight(freeBytes: Int64) -> Double {
        exp2((log2(Double(max(freeBytes, 1))) * 8).rounded(.down) / 8)
    }

    public func plan(_ policy: EvaluatedPolicy, at time: Date) -> Placement {
        let item = RendezvousHash.key(policy.datasetID)
        // Per jurisdiction of the topology: 0 not allowed, 1 allowed, 2 allowed at embassy sites only.
        var allowance = [UInt8](repeating: 0, count: jurisdictionIndex.count)
        for index in policy.storage.indices where policy.storage[index].allowed {
            if let slot = jurisdictionIndex[policy.storage[index].jurisdiction] {
                allowance[slot] = policy.storage[index].embassyOnly ? 2 : 1
            }
        }
        let home = jurisdictionIndex[policy.home] ?? -2

        var excluded = unusableSites
        var candidates: [Candidate] = []
        candidates.reserveCapacity(entries.count)
        entries.withUnsafeBufferPointer { entries in
            for index in entries.indices {
                let entry = entries[index]
                let allowed = allowance[entry.jurisdiction]
                let permitted = allowed != 0 && (entry.embassyOf >= 0 ? entry.embassyOf == home : allowed == 1)
                if permitted {
                    candidates.append(best(in: entry, site: index, item: item))
                } else {
                    excluded.append(SiteExclusion(siteID: sites[index].id, reason: exclusionReason(sites[index], policy)))
                }
            }
        }
        var ranking = Ranking(candidates: candidates)

        var choices: [PlacementChoice] = []
        var usedHosts: [Int] = []
        var usedSites = [Bool](repeating: false, count: entries.count)
        var usedDomains = [Bool](repeating: false, count: failureDomainCount)
        var violations: [PlacementViolation] = []

        func choose(host: Int, of candidate: Candidate, _ kind: PlacementReason.Kind, rank: Int) {
            let site = sites[candidate.site]
            usedHosts.append(host)
            usedSites[candidate.site] = true
            usedDomains[entries[candidate.site].failureDomain] = true
            choices.append(
                PlacementChoice(
                    hostID: hosts[host].id,
                    siteID: site.id,
                    jurisdiction: site.jurisdiction,
                    failureDomain: site.failureDomain,
                    reason: PlacementReason(kind: kind, rank: rank + 1, eligibleSites: candidates.count)
                )
            )
        }

        if policy.homeReplicaRequired {
            var rank = 0
            while rank < ranking.count, !isHomeSite(ranking[rank], home: home) { rank += 1 }
            if rank < ranking.count {
                choose(host: ranking[rank].host, of: ranking[rank], .homeReplica, rank: rank)
            } else {
                violations.append(
                    PlacementViolation(
                        kind: .noHomeReplica,
                        message: "a home replica is required but no site in \(policy.home) has an available host with free space"
                    )
                )
            }
        }
        var rank = 0
        while choices.count < policy.replicas, rank < ranking.count {
            let candidate = ranking[rank]
            if !usedSites[candidate.site], !usedDomains[entries[candidate.site].failureDomain] {
                choose(host: candidate.host, of: candidate, .newFailureDomain, rank: rank)
            }
            rank += 1
        }
        rank = 0
        while choices.count < policy.replicas, rank < ranking.count {
            let candidate = ranking[rank]
            if !usedSites[candidate.site] { choose(host: candidate.host, of: candidate, .newSite, rank: rank) }
            rank += 1
        }
        var progress = true
        while choices.count < policy.replicas && progress {
            progress = false
            for rank in 0..<ranking.count where choices.count < policy.replicas {
                let candidate = ranking[rank]
                if let host = nextHost(in: entries[candidate.site], item: item, excluding: usedHosts) {
                    choose(host: host, of: candidate, .additionalHost, rank: rank)
                    progress = true
                }
            }
        }

        let distinctSites = usedSites.lazy.filter { $0 }.count
        if choices.count < policy.replicas {
            violations.append(
                PlacementViolation(
                    kind: .underReplicated,
                    message: "policy asks for \(policy.replicas) replicas but only \(choices.count) eligible hosts exist in the allowed jurisdictions \(allowedList(policy))"
                )
            )
        }
        if distinctSites < policy.minDistinctSites {
            violations.append(
                PlacementViolation(
                    kind: .tooFewSites,
                    message: "policy asks for \(policy.minDistinctSites) distinct sites but only \(distinctSites) eligible sites exist in the allowed jurisdictions \(allowedList(policy))"
                )
            )
        }
        excluded.sort { $0.siteID < $1.siteID }
        return Placement(
            datasetID: policy.datasetID, computedAt: time, choices: choices, excludedSites: excluded, violations: violations
        )
    }

    /// A permitted site's score for one dataset and the host that earned it.
    struct Candidate {
        let site: Int
        let score: Double
        let host: Int
    }

    /// Candidates in descending score order, sorted only as far as the planner reads: most datasets
    /// need the first few of many sites.
    struct Ranking {
        private var candidates: [Candidate]
        private var sorted = 0

        init(candidates: [Candidate]) { self.candidates = candidates }

        var count: Int { candidates.count }

        subscript(rank: Int) -> Candidate {
            mutating get {
                while sorted <= rank {
                    var best = sorted
                    for index in (sorted + 1)..<candidates.count where Self.ranksAbove(candidates[index], candidates[best]) {
                        best = index
                    }
                    candidates.swapAt(sorted, best)
                    sorted += 1
                }
                return candidates[rank]
            }
        }

        /// Higher score first; equal scores (which need equal hashes) fall back to topology order.
        static func ranksAbove(_ lhs: Candidate, _ rhs: Candidate) -> Bool {
            lhs.score > rhs.score || (lhs.score == rhs.score && lhs.site < rhs.site)
        }
    }

    private func isHomeSite(_ candidate: Candidate, home: Int) -> Bool {
        let entry = entries[candidate.site]
        return entry.jurisdiction == home && entry.embassyOf < 0
    }

    /// The site's best host: within a weight group the highest hash wins (the score rises with it), so
    /// each group needs one score.
    private func best(in entry: SiteEntry, site: Int, item: UInt64) -> Candidate {
        var bestScore = -Double.infinity
        var bestHost = -1
        groups.withUnsafeBufferPointer { groups in
            hostKeys.withUnsafeBufferPointer { keys in
                for groupIndex in entry.groups {
                    let group = groups[groupIndex]
                    var topHash: UInt64 = 0
                    var topHost = -1
                    for host in group.hosts {
                        let hash = RendezvousHash.hash(item: item, candidate: keys[host]) >> 11
                        if topHost < 0 || hash > topHash {
                            topHash = hash
                            topHost = host
                        }
                    }
                    let score = RendezvousHash.score(hash53: topHash, weight: group.weight)
                    if score > bestScore {
                        bestScore = score
                        bestHost = topHost
                    }
                }
            }
        }
        return Candidate(site: site, score: bestScore, host: bestHost)
    }

    /// The best host of a site that is not yet used, for sites that must hold more than one copy.
    private func nextHost(in entry: SiteEntry, item: UInt64, excluding used: [Int]) -> Int? {
        var bestScore = -Double.infinity
        var bestHost: Int?
        for group in groups[entry.groups] {
            for host in group.hosts where !used.contains(host) {
                let hash = RendezvousHash.hash(item: item, candidate: hostKeys[host]) >> 11
                let score = RendezvousHash.score(hash53: hash, weight: group.weight)
                if score > bestScore {
                    bestScore = score
                    bestHost = host
                }
            }
        }
        return bestHost
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
