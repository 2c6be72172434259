import DaulatCore
import Foundation
import Testing

@Suite("Placement planning")
struct PlacementPlannerTests {
    let now = Fixture.now

    func plan(
        _ dataset: Dataset,
        topology: Topology = Fixture.topology,
        evaluator: PolicyEvaluator = Fixture.evaluator
    ) throws -> Placement {
        try evaluator.validate(policy: dataset.policy, home: dataset.home, classification: dataset.classification)
        let evaluated = try evaluator.evaluate(dataset, at: now)
        return PlacementPlanner(topology: topology).plan(evaluated, at: now)
    }

    func plans(
        _ count: Int,
        home: String = "ID",
        classification: String = "public",
        policy: ResidencyPolicy,
        planner: PlacementPlanner,
        evaluator: PolicyEvaluator = Fixture.evaluator
    ) throws -> [Placement] {
        let dataset = Fixture.dataset("template", home: home, classification: classification, policy: policy)
        var evaluated = try evaluator.evaluate(dataset, at: now)
        return (0..<count).map { index in
            evaluated.datasetID = "dataset-\(index)"
            return planner.plan(evaluated, at: now)
        }
    }

    struct SiteSpec {
        var id: String
        var jurisdiction: String
        var domain: String
        var hosts: [Int64]
    }

    /// Sites with hosts named `<site>-h<n>`, each host given the free bytes listed (capacity 16 TiB).
    static func topology(_ specs: [SiteSpec]) -> Topology {
        var sites: [Site] = []
        var hosts: [StorageHost] = []
        for spec in specs {
            sites.append(
                Site(
                    id: spec.id,
                    jurisdiction: Fixture.code(spec.jurisdiction),
                    city: spec.id,
                    operatorName: "operator",
                    failureDomain: spec.domain
                )
            )
            for (index, free) in spec.hosts.enumerated() {
                hosts.append(
                    StorageHost(
                        id: "\(spec.id)-h\(index)",
                        siteID: spec.id,
                        capacityBytes: 16 * Fixture.tebibyte,
                        freeBytes: free
                    )
                )
            }
        }
        return Topology(sites: sites, hosts: hosts)
    }

    func siteOf(_ hostID: String, in topology: Topology) -> Site? {
        guard let host = topology.hosts.first(where: { $0.id == hostID }) else { return nil }
        return topology.sites.first { $0.id == host.siteID }
    }

    // MARK: Determinism

    @Test("the same dataset and topology give the same placement, whatever the input order")
    func deterministic() throws {
        let forward = PlacementPlanner(topology: Fixture.topology)
        let backward = PlacementPlanner(
            topology: Topology(sites: Fixture.sites.reversed(), hosts: Fixture.hosts.reversed())
        )
        let policy = ResidencyPolicy(replicas: 4)
        let first = try plans(200, policy: policy, planner: forward)
        let again = try plans(200, policy: policy, planner: forward)
        let reordered = try plans(200, policy: policy, planner: backward)
        #expect(first == again)
        #expect(first.map(\.hostIDs) == reordered.map(\.hostIDs))
        #expect(first.map(\.excludedSites) == reordered.map(\.excludedSites))
        #expect(Set(first.map(\.hostIDs)).count > 20)
    }

    @Test("the placement records the dataset and the time, and hasSameOutcome ignores the time")
    func recordsDatasetAndTime() throws {
        let dataset = Fixture.dataset("census-2025")
        let evaluated = try Fixture.evaluator.evaluate(dataset, at: now)
        let planner = PlacementPlanner(topology: Fixture.topology)
        let placement = planner.plan(evaluated, at: now)
        let later = planner.plan(evaluated, at: now + 3600)
        #expect(placement.datasetID == "census-2025")
        #expect(placement.computedAt == now)
        #expect(later.computedAt == now + 3600)
        #expect(placement.hasSameOutcome(as: later))
        #expect(placement != later)
    }

    // MARK: Residency

    @Test("a restricted dataset is placed only in its home and the partners of agreements in force")
    func onlyAllowedJurisdictions() throws {
        let placements = try plans(
            300,
            classification: "restricted",
            policy: ResidencyPolicy(),
            planner: PlacementPlanner(topology: Fixture.topology)
        )
        for placement in placements {
            #expect(placement.choices.count == 3)
            #expect(placement.violations.isEmpty)
            #expect(Set(placement.choices.map(\.jurisdiction.rawValue)).isSubset(of: ["ID", "SG"]))
            #expect(placement.choices.first?.jurisdiction.rawValue == "ID")
            #expect(Set(placement.hostIDs).count == placement.hostIDs.count)
        }
        #expect(placements.contains { $0.hostIDs.contains("sg-sin-1-a") })
        #expect(placements.contains { $0.hostIDs.contains("id-jkt-1-b") })
        let excluded = try #require(placements.first?.excludedSites)
        #expect(excluded.map(\.siteID) == excluded.map(\.siteID).sorted())
        #expect(
            Set(excluded.map(\.siteID))
                == ["my-kul-1", "my-jhb-1", "ee-tll-1", "ee-trt-1", "fi-hel-1", "lu-bet-1", "lu-ee-embassy-1"]
        )
        #expect(excluded.first { $0.siteID == "my-kul-1" }?.reason.contains("no agreement") == true)
    }

    @Test("when an agreement lapses the partner's sites are no longer used")
    func lapsedAgreement() throws {
        var agreements = Fixture.agreements
        agreements[0].status = .suspended
        let evaluator = PolicyEvaluator(alliance: Fixture.alliance, agreements: agreements)
        let placements = try plans(
            200,
            classification: "restricted",
            policy: ResidencyPolicy(),
            planner: PlacementPlanner(topology: Fixture.topology),
            evaluator: evaluator
        )
        for placement in placements {
            #expect(Set(placement.hostIDs) == ["id-jkt-1-a", "id-jkt-1-b", "id-btm-1-a"])
            #expect(placement.violations.isEmpty)
        }
    }

    // MARK: Home replica

    @Test("a required home replica is always placed first, in the home jurisdiction")
    func homeReplica() throws {
        let planner = PlacementPlanner(topology: Fixture.topology)
        let required = try plans(300, policy: ResidencyPolicy(replicas: 2, homeReplicaRequired: true), planner: planner)
        for placement in required {
            let first = try #require(placement.choices.first)
            #expect(first.jurisdiction.rawValue == "ID")
            #expect(first.explanation.hasPrefix("home replica"))
            #expect(placement.violations.isEmpty)
        }
        let optional = try plans(300, policy: ResidencyPolicy(replicas: 2), planner: planner)
        #expect(optional.contains { !$0.choices.contains { $0.jurisdiction.rawValue == "ID" } })
    }

    @Test("no home replica is reported when the home has no usable host, and nothing is placed outside")
    func noHomeReplica() throws {
        var hosts = Fixture.hosts
        for index in hosts.indices where hosts[index].siteID.hasPrefix("id-") {
            if hosts[index].id == "id-jkt-1-b" {
                hosts[index].freeBytes = 0
            } else {
                hosts[index].status = index.isMultiple(of: 2) ? .unavailable : .draining
            }
        }
        let topology = Topology(sites: Fixture.sites, hosts: hosts)
        let placement = try plan(Fixture.dataset(classification: "restricted"), topology: topology)
        #expect(placement.hostIDs == ["sg-sin-1-a"])
        #expect(Set(placement.violations.map(\.kind)) == [.noHomeReplica, .underReplicated, .tooFewSites])
        let reasons = Dictionary(uniqueKeysWithValues: placement.excludedSites.map { ($0.siteID, $0.reason) })
        #expect(reasons["id-jkt-1"] == "no available host with free space")
        #expect(reasons["id-btm-1"] == "no available host with free space")
    }

    // MARK: Spreading

    static let spreadTopology = topology([
        SiteSpec(id: "sg-a1", jurisdiction: "SG", domain: "a", hosts: [4, 4, 4].map { $0 * Fixture.tebibyte }),
        SiteSpec(id: "my-a2", jurisdiction: "MY", domain: "a", hosts: [4, 4, 4].map { $0 * Fixture.tebibyte }),
        SiteSpec(id: "ee-b", jurisdiction: "EE", domain: "b", hosts: [Fixture.tebibyte]),
        SiteSpec(id: "fi-c", jurisdiction: "FI", domain: "c", hosts: [Fixture.tebibyte]),
    ])

    @Test("replicas go to distinct failure domains first, then distinct sites, then more hosts per site")
    func spreading() throws {
        let planner = PlacementPlanner(topology: Self.spreadTopology)
        func domains(_ placement: Placement) -> [String] { placement.choices.map(\.failureDomain) }
        func sites(_ placement: Placement) -> [String] { placement.choices.map(\.siteID) }

        for placement in try plans(300, policy: ResidencyPolicy(replicas: 3), planner: planner) {
            #expect(Set(domains(placement)) == ["a", "b", "c"])
            #expect(placement.violations.isEmpty)
        }
        for placement in try plans(300, policy: ResidencyPolicy(replicas: 4), planner: planner) {
            #expect(Set(sites(placement)) == ["sg-a1", "my-a2", "ee-b", "fi-c"])
        }
        for placement in try plans(300, policy: ResidencyPolicy(replicas: 6, minDistinctSites: 4), planner: planner) {
            #expect(Set(sites(placement)) == ["sg-a1", "my-a2", "ee-b", "fi-c"])
            #expect(Set(placement.hostIDs).count == 6)
            #expect(placement.violations.isEmpty)
            #expect(placement.choices.prefix(4).allSatisfy { !$0.explanation.hasPrefix("another host") })
            #expect(placement.choices.dropFirst(4).allSatisfy { $0.explanation.hasPrefix("another host") })
        }
    }

    @Test("more replicas than eligible hosts: everything eligible is used and the shortfall reported")
    func underReplicated() throws {
        let planner = PlacementPlanner(topology: Fixture.topology)
        for placement in try plans(50, policy: ResidencyPolicy(replicas: 16), planner: planner) {
            #expect(placement.choices.count == 10)
            #expect(Set(placement.hostIDs).count == 10)
            #expect(!placement.hostIDs.contains("lu-ee-embassy-1-a"))
            #expect(placement.violations.map(\.kind) == [.underReplicated])
        }
        let secret = try plan(
            Fixture.dataset(
                "tax-records", home: "FI", classification: "secret",
                policy: ResidencyPolicy(replicas: 3, minDistinctSites: 2))
        )
        #expect(secret.hostIDs == ["fi-hel-1-a"])
        #expect(Set(secret.violations.map(\.kind)) == [.underReplicated, .tooFewSites])
    }

    @Test("enough hosts but too few sites is reported as tooFewSites alone")
    func tooFewSites() throws {
        let topology = Self.topology([
            SiteSpec(id: "sg-only", jurisdiction: "SG", domain: "sg", hosts: [1, 2, 3].map { $0 * Fixture.tebibyte })
        ])
        let policy = ResidencyPolicy(storage: Fixture.codes("SG"), replicas: 3, minDistinctSites: 2)
        for placement in try plans(50, policy: policy, planner: PlacementPlanner(topology: topology)) {
            #expect(Set(placement.hostIDs) == ["sg-only-h0", "sg-only-h1", "sg-only-h2"])
            #expect(placement.violations.map(\.kind) == [.tooFewSites])
        }
    }

    @Test("unavailable, draining and full hosts are never chosen")
    func unusableHosts() throws {
        let site = Fixture.makeSite("sg-sin-1", "SG", "Singapore", "sg")
        let empty = Fixture.makeSite("sg-sin-2", "SG", "Singapore", "sg2")
        let bare = Fixture.makeSite("sg-sin-3", "SG", "Singapore", "sg3")
        let t = Fixture.tebibyte
        let hosts = [
            StorageHost(id: "ok", siteID: "sg-sin-1", capacityBytes: t, freeBytes: 1),
            StorageHost(id: "down", siteID: "sg-sin-1", capacityBytes: t, freeBytes: t, status: .unavailable),
            StorageHost(id: "leaving", siteID: "sg-sin-1", capacityBytes: t, freeBytes: t, status: .draining),
            StorageHost(id: "full", siteID: "sg-sin-1", capacityBytes: t, freeBytes: 0),
            StorageHost(id: "down-2", siteID: "sg-sin-2", capacityBytes: t, freeBytes: t, status: .unavailable),
            StorageHost(id: "full-2", siteID: "sg-sin-2", capacityBytes: t, freeBytes: 0),
        ]
        let planner = PlacementPlanner(topology: Topology(sites: [site, empty, bare], hosts: hosts))
        let policy = ResidencyPolicy(storage: Fixture.codes("SG"), replicas: 16, minDistinctSites: 1)
        for placement in try plans(100, policy: policy, planner: planner) {
            #expect(placement.hostIDs == ["ok"])
            #expect(placement.violations.map(\.kind) == [.underReplicated])
            #expect(
                placement.excludedSites == [
                    SiteExclusion(siteID: "sg-sin-2", reason: "no available host with free space"),
                    SiteExclusion(siteID: "sg-sin-3", reason: "no available host with free space"),
                ]
            )
        }
    }

    // MARK: Data embassies

    @Test("an embassy site holds copies of its own state's datasets when the policy allows it")
    func embassyUsed() throws {
        let allowed = try plan(
            Fixture.dataset(
                "e-residency", home: "EE", classification: "secret",
                policy: ResidencyPolicy(replicas: 3, dataEmbassyAllowed: true))
        )
        #expect(Set(allowed.hostIDs) == ["ee-tll-1-a", "ee-trt-1-a", "lu-ee-embassy-1-a"])
        #expect(allowed.choices.first?.jurisdiction.rawValue == "EE")
        #expect(allowed.violations.isEmpty)

        let refused = try plan(
            Fixture.dataset("e-residency", home: "EE", classification: "secret", policy: ResidencyPolicy(replicas: 3))
        )
        #expect(Set(refused.hostIDs) == ["ee-tll-1-a", "ee-trt-1-a"])
        #expect(refused.violations.map(\.kind) == [.underReplicated])
        #expect(refused.excludedSites.contains { $0.siteID == "lu-ee-embassy-1" })
    }

    @Test("an embassy site never holds another state's datasets, even where its territory is allowed")
    func embassyNotForOthers() throws {
        let planner = PlacementPlanner(topology: Fixture.topology)
        for home in ["ID", "FI", "LU"] {
            for placement in try plans(100, home: home, policy: ResidencyPolicy(replicas: 16), planner: planner) {
                #expect(!placement.hostIDs.contains("lu-ee-embassy-1-a"))
                let exclusion = placement.excludedSites.first { $0.siteID == "lu-ee-embassy-1" }
                #expect(exclusion?.reason.contains("data-embassy site of EE") == true)
            }
        }
        let lapsed = PolicyEvaluator(alliance: Fixture.alliance, agreements: [Fixture.idSgRestricted])
        let placement = try plan(
            Fixture.dataset(
                "e-residency", home: "EE", classification: "secret",
                policy: ResidencyPolicy(replicas: 3, dataEmbassyAllowed: true)),
            evaluator: lapsed
        )
        #expect(!placement.hostIDs.contains("lu-ee-embassy-1-a"))
    }

    // MARK: Stability

    static let stabilityTopology = topology([
        SiteSpec(id: "id-1", jurisdiction: "ID", domain: "java", hosts: [2, 3].map { $0 * Fixture.tebibyte }),
        SiteSpec(id: "id-2", jurisdiction: "ID", domain: "riau", hosts: [4].map { $0 * Fixture.tebibyte }),
        SiteSpec(id: "sg-1", jurisdiction: "SG", domain: "sg", hosts: [1, 1, 2].map { $0 * Fixture.tebibyte }),
        SiteSpec(id: "my-1", jurisdiction: "MY", domain: "klang", hosts: [3, 2].map { $0 * Fixture.tebibyte }),
        SiteSpec(id: "my-2", jurisdiction: "MY", domain: "klang", hosts: [5].map { $0 * Fixture.tebibyte }),
        SiteSpec(id: "ee-1", jurisdiction: "EE", domain: "harju", hosts: [2, 2].map { $0 * Fixture.tebibyte }),
        SiteSpec(id: "fi-1", jurisdiction: "FI", domain: "uusimaa", hosts: [3, 1, 1].map { $0 * Fixture.tebibyte }),
        SiteSpec(id: "lu-1", jurisdiction: "LU", domain: "lux", hosts: [4].map { $0 * Fixture.tebibyte }),
    ])

    static let stabilityPolicies: [ResidencyPolicy] = [
        ResidencyPolicy(replicas: 3),
        ResidencyPolicy(replicas: 3, homeReplicaRequired: true),
        ResidencyPolicy(replicas: 12, minDistinctSites: 4),
    ]

    static let stabilityItems = 2000

    func placements(_ topology: Topology, policy: ResidencyPolicy) throws -> [[String]] {
        try plans(Self.stabilityItems, policy: policy, planner: PlacementPlanner(topology: topology)).map(\.hostIDs)
    }

    @Test("adding a host moves only the datasets that now use it", arguments: stabilityPolicies)
    func addingHost(policy: ResidencyPolicy) throws {
        var grown = Self.stabilityTopology
        grown.hosts.append(
            StorageHost(
                id: "sg-1-new", siteID: "sg-1", capacityBytes: 16 * Fixture.tebibyte, freeBytes: 2 * Fixture.tebibyte)
        )
        let before = try placements(Self.stabilityTopology, policy: policy)
        let after = try placements(grown, policy: policy)
        var moved = 0
        for (index, (old, new)) in zip(before, after).enumerated() where old != new {
            moved += 1
            #expect(new.contains("sg-1-new"), "dataset-\(index) moved from \(old) to \(new)")
        }
        let takers = after.filter { $0.contains("sg-1-new") }.count
        #expect(moved == takers)
        #expect(moved > 0)
        if policy.replicas == 3 {
            #expect((0.05...0.35).contains(Double(moved) / Double(Self.stabilityItems)), "moved \(moved)")
        }
    }

    @Test("removing a host moves only the datasets that had it", arguments: stabilityPolicies)
    func removingHost(policy: ResidencyPolicy) throws {
        var shrunk = Self.stabilityTopology
        shrunk.hosts.removeAll { $0.id == "fi-1-h0" }
        let before = try placements(Self.stabilityTopology, policy: policy)
        let after = try placements(shrunk, policy: policy)
        var moved = 0
        for (index, (old, new)) in zip(before, after).enumerated() where old != new {
            moved += 1
            #expect(old.contains("fi-1-h0"), "dataset-\(index) moved from \(old) to \(new)")
        }
        #expect(moved == before.filter { $0.contains("fi-1-h0") }.count)
        #expect(moved > 0)
        if policy.replicas == 3 {
            #expect((0.05...0.35).contains(Double(moved) / Double(Self.stabilityItems)), "moved \(moved)")
        }
    }

    @Test("a host going unavailable or changing its free space moves only the datasets it is involved in")
    func reweightingHost() throws {
        let policy = ResidencyPolicy(replicas: 3)
        let before = try placements(Self.stabilityTopology, policy: policy)
        var fuller = Self.stabilityTopology
        fuller.hosts[fuller.hosts.firstIndex { $0.id == "my-1-h1" }!].freeBytes = 9 * Fixture.tebibyte
        let afterGrowth = try placements(fuller, policy: policy)
        var down = Self.stabilityTopology
        down.hosts[down.hosts.firstIndex { $0.id == "id-1-h1" }!].status = .unavailable
        let afterOutage = try placements(down, policy: policy)

        var changed = 0
        for (old, new) in zip(before, afterGrowth) where old != new {
            changed += 1
            #expect(old.contains("my-1-h1") || new.contains("my-1-h1"), "moved from \(old) to \(new)")
        }
        #expect(changed > 0)
        changed = 0
        for (old, new) in zip(before, afterOutage) where old != new {
            changed += 1
            #expect(old.contains("id-1-h1") && !new.contains("id-1-h1"), "moved from \(old) to \(new)")
        }
        #expect(changed == before.filter { $0.contains("id-1-h1") }.count)
    }

    // MARK: Weights

    static let weightItems = 20_000

    func firstChoiceCounts(_ topology: Topology, storage: Set<JurisdictionCode>) throws -> [String: Int] {
        let policy = ResidencyPolicy(storage: storage, replicas: 1, minDistinctSites: 1)
        var counts: [String: Int] = [:]
        for placement in try plans(Self.weightItems, policy: policy, planner: PlacementPlanner(topology: topology)) {
            counts[try #require(placement.hostIDs.first), default: 0] += 1
        }
        return counts
    }

    @Test("a site with three times the free space gets about three times the first choices")
    func siteWeights() throws {
        let t = Fixture.tebibyte
        let topology = Self.topology([
            SiteSpec(id: "sg-big", jurisdiction: "SG", domain: "sg", hosts: [3 * t]),
            SiteSpec(id: "my-small", jurisdiction: "MY", domain: "my", hosts: [t]),
        ])
        let counts = try firstChoiceCounts(topology, storage: Fixture.codes("SG", "MY"))
        let ratio = Double(counts["sg-big-h0", default: 0]) / Double(counts["my-small-h0", default: 0])
        #expect((2.2...3.8).contains(ratio), "ratio \(ratio) from \(counts)")
    }

    @Test("a site weighs the free space of its available hosts together")
    func siteWeightIsSumOfAvailableHosts() throws {
        let t = Fixture.tebibyte
        var topology = Self.topology([
            SiteSpec(id: "sg-pair", jurisdiction: "SG", domain: "sg", hosts: [t, 2 * t]),
            SiteSpec(id: "my-one", jurisdiction: "MY", domain: "my", hosts: [t, 8 * t]),
        ])
        topology.hosts[3].status = .draining
        let counts = try firstChoiceCounts(topology, storage: Fixture.codes("SG", "MY"))
        #expect(counts["my-one-h1"] == nil)
        let pair = counts["sg-pair-h0", default: 0] + counts["sg-pair-h1", default: 0]
        let ratio = Double(pair) / Double(counts["my-one-h0", default: 0])
        #expect((2.2...3.8).contains(ratio), "ratio \(ratio) from \(counts)")
    }

    @Test("inside a site, a host with three times the free space gets about three times the copies")
    func hostWeights() throws {
        let t = Fixture.tebibyte
        let topology = Self.topology([SiteSpec(id: "sg-one", jurisdiction: "SG", domain: "sg", hosts: [3 * t, t])])
        let counts = try firstChoiceCounts(topology, storage: Fixture.codes("SG"))
        let ratio = Double(counts["sg-one-h0", default: 0]) / Double(counts["sg-one-h1", default: 0])
        #expect((2.2...3.8).contains(ratio), "ratio \(ratio) from \(counts)")
    }
}
