import DaulatCore
import Foundation
import Testing

/// SplitMix64: a tiny, fast, fully deterministic generator, so a failing world can be rebuilt from its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// The residency invariant, checked over randomly generated alliances: the planner never places a copy
/// where the rules do not allow it, and it uses everything the rules do allow before reporting a shortfall.
///
/// The allowed set is recomputed here from the written rules, without calling the evaluator. Each world is
/// generated from its own seed, drawn in turn from a generator seeded with ``recordedSeed``; every failure
/// names the master seed, the world index and the world's seed. Set the environment variable
/// `DAULAT_PROPERTY_SEED` to run with another master seed.
@Suite("Residency invariant over random alliances")
struct ResidencyInvariantPropertyTests {
    /// The master seed of every run unless `DAULAT_PROPERTY_SEED` (decimal) overrides it; failure messages
    /// print the seed in use, in decimal.
    static let recordedSeed: UInt64 = 0x5eed_da01_a720_2601

    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["DAULAT_PROPERTY_SEED"].flatMap { UInt64($0) } ?? recordedSeed
    }

    static let worldCount = 300
    static let datasetsPerWorld = 12
    static let levelNames = ["public", "internal", "restricted", "secret"]
    static let epoch = Date(timeIntervalSince1970: 1_577_836_800)  // 2020-01-01T00:00:00Z
    static let day: TimeInterval = 86_400

    struct World {
        var alliance: Alliance
        var agreements: [Agreement]
        var topology: Topology
        var codes: [JurisdictionCode]
    }

    // MARK: Generation

    static func pick<T>(_ values: [T], using rng: inout SplitMix64) -> T {
        values[Int.random(in: 0..<values.count, using: &rng)]
    }

    static func chance(_ probability: Double, using rng: inout SplitMix64) -> Bool {
        Double.random(in: 0..<1, using: &rng) < probability
    }

    static func subset<T>(of values: [T], probability: Double, using rng: inout SplitMix64) -> [T] {
        values.filter { _ in chance(probability, using: &rng) }
    }

    static func makeWorld(using rng: inout SplitMix64) throws -> World {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var codes: [JurisdictionCode] = []
        let count = Int.random(in: 3...10, using: &rng)
        while codes.count < count {
            let code = try JurisdictionCode(String([pick(letters, using: &rng), pick(letters, using: &rng)]))
            if !codes.contains(code) { codes.append(code) }
        }
        let jurisdictions = codes.map { Jurisdiction(code: $0, name: "Land \($0)") }

        var groups: [JurisdictionGroup] = []
        for index in 0..<Int.random(in: 0...4, using: &rng) {
            var members = Array(
                codes.shuffled(using: &rng).prefix(Int.random(in: 1...min(4, codes.count), using: &rng))
            )
            .map(\.rawValue)
            if index > 0 && chance(0.5, using: &rng) {
                members.append("g\(Int.random(in: 0..<index, using: &rng))")
            }
            if index > 0 && chance(0.2, using: &rng) {
                members = ["g\(Int.random(in: 0..<index, using: &rng))"]
            }
            groups.append(JurisdictionGroup(name: "g\(index)", members: members.shuffled(using: &rng)))
        }

        let classifications = levelNames.enumerated().map { rank, name in
            Classification(
                name: name,
                rank: rank,
                storage: pick(JurisdictionScope.allCases, using: &rng),
                keys: pick(JurisdictionScope.allCases, using: &rng),
                processing: pick(JurisdictionScope.allCases, using: &rng),
                dataEmbassyPermitted: chance(0.5, using: &rng),
                defaultReplicas: Int.random(in: 1...4, using: &rng),
                defaultMinDistinctSites: Int.random(in: 1...3, using: &rng),
                homeReplicaRequired: chance(0.5, using: &rng)
            )
        }

        var sites: [Site] = []
        var hosts: [StorageHost] = []
        for index in 0..<Int.random(in: 2...14, using: &rng) {
            let jurisdiction = pick(codes, using: &rng)
            let embassyOf = chance(0.25, using: &rng) ? pick(codes.filter { $0 != jurisdiction }, using: &rng) : nil
            let site = Site(
                id: "s\(index)",
                jurisdiction: jurisdiction,
                city: "city",
                operatorName: "operator",
                failureDomain: "fd\(Int.random(in: 0..<5, using: &rng))",
                embassyOf: embassyOf
            )
            sites.append(site)
            for hostIndex in 0..<Int.random(in: 0...4, using: &rng) {
                let capacity = Int64.random(in: 1_000...1_000_000, using: &rng)
                let roll = Double.random(in: 0..<1, using: &rng)
                hosts.append(
                    StorageHost(
                        id: "\(site.id)-h\(hostIndex)",
                        siteID: site.id,
                        capacityBytes: capacity,
                        freeBytes: chance(0.1, using: &rng) ? 0 : Int64.random(in: 1...capacity, using: &rng),
                        status: roll < 0.7 ? .available : roll < 0.85 ? .unavailable : .draining
                    )
                )
            }
        }

        var agreements: [Agreement] = []
        for index in 0..<Int.random(in: 0...8, using: &rng) {
            let parties = Array(codes.shuffled(using: &rng).prefix(Int.random(in: 2...3, using: &rng)))
            var covered = subset(of: levelNames, probability: 0.5, using: &rng)
            if covered.isEmpty { covered = [pick(levelNames, using: &rng)] }
            var purposes = subset(of: AgreementPurpose.allCases, probability: 0.6, using: &rng)
            if purposes.isEmpty { purposes = [pick(AgreementPurpose.allCases, using: &rng)] }
            let from = epoch + Double(Int.random(in: 0..<3_650, using: &rng)) * day
            let until = chance(0.4, using: &rng) ? nil : from + Double(Int.random(in: 1...2_000, using: &rng)) * day
            agreements.append(
                Agreement(
                    id: "a\(index)",
                    name: "agreement \(index)",
                    parties: parties,
                    classifications: covered,
                    purposes: purposes,
                    from: from,
                    until: until,
                    status: chance(0.5, using: &rng) ? .inForce : pick(AgreementStatus.allCases, using: &rng)
                )
            )
        }

        let definition = AllianceDefinition(
            jurisdictions: jurisdictions,
            groups: groups,
            classifications: classifications,
            sites: sites,
            hosts: hosts,
            agreements: agreements
        )
        try definition.validate()
        return World(
            alliance: definition.alliance,
            agreements: agreements,
            topology: definition.topology,
            codes: codes
        )
    }

    /// A policy that is usually valid (sets drawn from what the level can reach, sensible numbers) and
    /// sometimes not, so that validation is exercised too.
    static func makePolicy(home: JurisdictionCode, level: Classification, world: World, using rng: inout SplitMix64)
        -> ResidencyPolicy
    {
        let groups = groupMembers(world.alliance)
        func reach(_ scope: JurisdictionScope) -> [JurisdictionCode] {
            switch scope {
            case .alliance, .homeAndAgreements: world.codes
            case .homeGroups:
                world.codes.filter { code in groups.values.contains { $0.contains(home) && $0.contains(code) } }
            case .home: [home]
            }
        }
        func someCodes(_ scope: JurisdictionScope, absentChance: Double) -> Set<JurisdictionCode>? {
            guard !chance(absentChance, using: &rng) else { return nil }
            let pool = chance(0.9, using: &rng) ? reach(scope) : world.codes
            var chosen = Set(subset(of: pool, probability: 0.5, using: &rng))
            if chance(0.8, using: &rng) { chosen.insert(home) }
            return chosen.isEmpty ? [home] : chosen
        }
        let replicas = chance(0.3, using: &rng) ? nil : pick([0, 1, 2, 3, 3, 4, 4, 5, 6, 8, 17], using: &rng)
        let minSites =
            chance(0.6, using: &rng)
            ? nil : Int.random(in: 1...max(1, min(4, replicas ?? level.defaultReplicas)), using: &rng)
        return ResidencyPolicy(
            storage: someCodes(level.storage, absentChance: 0.4),
            keys: someCodes(level.keys, absentChance: 0.7),
            processing: someCodes(level.processing, absentChance: 0.7),
            replicas: replicas,
            minDistinctSites: minSites,
            homeReplicaRequired: pick([nil, nil, true, false], using: &rng),
            dataEmbassyAllowed: level.dataEmbassyPermitted && chance(0.6, using: &rng)
                ? true : pick([nil, nil, false, false, true], using: &rng)
        )
    }

    static func makeTime(_ world: World, using rng: inout SplitMix64) -> Date {
        let boundaries = world.agreements.flatMap { [$0.from, $0.until].compactMap(\.self) }
        if !boundaries.isEmpty && chance(0.3, using: &rng) {
            return pick(boundaries, using: &rng) + pick([-0.001, 0, 0, 0.001], using: &rng)
        }
        return epoch + Double(Int64.random(in: 0..<(16 * 365 * 86_400_000), using: &rng)) / 1000
    }

    // MARK: The rules, restated

    /// Each group's jurisdictions, following nesting, computed as a fixed point.
    static func groupMembers(_ alliance: Alliance) -> [String: Set<JurisdictionCode>] {
        var members: [String: Set<JurisdictionCode>] = [:]
        for group in alliance.groups {
            members[group.name] = Set(group.members.compactMap { try? JurisdictionCode($0) })
        }
        var changed = true
        while changed {
            changed = false
            for group in alliance.groups {
                var all = members[group.name] ?? []
                for member in group.members { all.formUnion(members[member] ?? []) }
                if all != members[group.name] {
                    members[group.name] = all
                    changed = true
                }
            }
        }
        return members
    }

    struct Allowed {
        var anywhere: Set<JurisdictionCode>
        var embassyOnly: Set<JurisdictionCode>

        func permits(_ site: Site, home: JurisdictionCode) -> Bool {
            if let embassyOf = site.embassyOf {
                return embassyOf == home
                    && (anywhere.contains(site.jurisdiction) || embassyOnly.contains(site.jurisdiction))
            }
            return anywhere.contains(site.jurisdiction)
        }
    }

    static func oracle(_ world: World, _ dataset: Dataset, level: Classification, at time: Date) -> Allowed {
        let groups = groupMembers(world.alliance)
        func inForce(_ agreement: Agreement, with other: JurisdictionCode, purpose: AgreementPurpose) -> Bool {
            agreement.status == .inForce && agreement.from <= time
                && (agreement.until == nil || time < agreement.until!)
                && agreement.parties.contains(dataset.home) && agreement.parties.contains(other)
                && agreement.classifications.contains(level.name) && agreement.purposes.contains(purpose)
        }
        var anywhere = Set<JurisdictionCode>()
        var embassyOnly = Set<JurisdictionCode>()
        for code in world.codes {
            let inScope: Bool
            if code == dataset.home {
                inScope = true
            } else {
                switch level.storage {
                case .alliance: inScope = true
                case .homeGroups: inScope = groups.values.contains { $0.contains(dataset.home) && $0.contains(code) }
                case .homeAndAgreements:
                    inScope = world.agreements.contains { inForce($0, with: code, purpose: .storage) }
                case .home: inScope = false
                }
            }
            if inScope && dataset.policy.storage.map({ $0.contains(code) }) ?? true {
                anywhere.insert(code)
            } else if level.dataEmbassyPermitted && dataset.policy.dataEmbassyAllowed == true && code != dataset.home
                && world.agreements.contains(where: { inForce($0, with: code, purpose: .dataEmbassy) })
            {
                embassyOnly.insert(code)
            }
        }
        return Allowed(anywhere: anywhere, embassyOnly: embassyOnly)
    }

    // MARK: The property

    struct Coverage {
        var worlds = 0
        var datasets = 0
        var rejected = 0
        var placedCopies = 0
        var embassyCopies = 0
        var agreementCopies = 0
        var underReplicated = 0
        var noHomeReplica = 0
        var tooFewSites = 0
        var fullyPlaced = 0
    }

    @Test("every copy lands only where the rules allow, and nothing allowed is left unused before a shortfall")
    func residencyInvariant() throws {
        let seed = Self.seed
        var coverage = Coverage()
        var master = SplitMix64(seed: seed)
        for worldIndex in 0..<Self.worldCount {
            let worldSeed = master.next()
            var rng = SplitMix64(seed: worldSeed)
            let label = "seed \(seed) world \(worldIndex) (world seed \(worldSeed))"
            let world = try Self.makeWorld(using: &rng)
            let evaluator = PolicyEvaluator(alliance: world.alliance, agreements: world.agreements)
            let planner = PlacementPlanner(topology: world.topology)
            coverage.worlds += 1
            for datasetIndex in 0..<Self.datasetsPerWorld {
                let home = Self.pick(world.codes, using: &rng)
                let level = Self.pick(world.alliance.classifications, using: &rng)
                let policy = Self.makePolicy(home: home, level: level, world: world, using: &rng)
                let time = Self.makeTime(world, using: &rng)
                do {
                    try evaluator.validate(policy: policy, home: home, classification: level.name)
                } catch {
                    coverage.rejected += 1
                    continue
                }
                let dataset = Fixture.dataset(
                    "ds-\(worldIndex)-\(datasetIndex)", home: home.rawValue, classification: level.name, policy: policy)
                let evaluated = try evaluator.evaluate(dataset, at: time)
                let placement = planner.plan(evaluated, at: time)
                coverage.datasets += 1
                try check(
                    placement,
                    evaluated: evaluated,
                    allowed: Self.oracle(world, dataset, level: level, at: time),
                    world: world,
                    dataset: dataset,
                    level: level,
                    coverage: &coverage,
                    label: "\(label) dataset \(datasetIndex) at \(CanonicalJSON.format(time)): \(policy)"
                )
                #expect(planner.plan(evaluated, at: time) == placement, "\(label): planning is not deterministic")
            }
        }
        #expect(coverage.datasets >= 1_500, "\(coverage)")
        #expect(coverage.rejected > 0, "\(coverage)")
        #expect(coverage.embassyCopies > 0, "\(coverage)")
        #expect(coverage.agreementCopies > 0, "\(coverage)")
        #expect(coverage.underReplicated > 0, "\(coverage)")
        #expect(coverage.noHomeReplica > 0, "\(coverage)")
        #expect(coverage.tooFewSites > 0, "\(coverage)")
        #expect(coverage.fullyPlaced > 100, "\(coverage)")
    }

    func check(
        _ placement: Placement,
        evaluated: EvaluatedPolicy,
        allowed: Allowed,
        world: World,
        dataset: Dataset,
        level: Classification,
        coverage: inout Coverage,
        label: String
    ) throws {
        let policy = dataset.policy
        let replicas = policy.replicas ?? level.defaultReplicas
        let minSites = policy.minDistinctSites ?? min(level.defaultMinDistinctSites, replicas)
        let homeRequired = policy.homeReplicaRequired ?? level.homeReplicaRequired
        let sitesByID = Dictionary(uniqueKeysWithValues: world.topology.sites.map { ($0.id, $0) })
        let hostsByID = Dictionary(uniqueKeysWithValues: world.topology.hosts.map { ($0.id, $0) })

        #expect(evaluated.allowed(.storage) == allowed.anywhere.union(allowed.embassyOnly), "\(label)")
        #expect(Set(evaluated.storage.filter(\.embassyOnly).map(\.jurisdiction)) == allowed.embassyOnly, "\(label)")
        #expect(evaluated.replicas == replicas && evaluated.minDistinctSites == minSites, "\(label)")

        let usable = world.topology.hosts.filter { $0.status == .available && $0.freeBytes > 0 }
        let eligibleHosts = usable.filter { host in
            sitesByID[host.siteID].map { allowed.permits($0, home: dataset.home) } ?? false
        }
        let eligibleSites = Set(eligibleHosts.map(\.siteID))
        let eligibleDomains = Set(eligibleSites.compactMap { sitesByID[$0]?.failureDomain })
        let homeHosts = eligibleHosts.filter {
            let site = sitesByID[$0.siteID]!
            return site.jurisdiction == dataset.home && site.embassyOf == nil
        }

        for choice in placement.choices {
            let host = try #require(hostsByID[choice.hostID], "\(label): unknown host \(choice.hostID)")
            let site = try #require(sitesByID[host.siteID], "\(label)")
            #expect(choice.siteID == site.id && choice.jurisdiction == site.jurisdiction, "\(label)")
            #expect(choice.failureDomain == site.failureDomain, "\(label)")
            #expect(evaluated.permitsStorage(at: site), "\(label): \(choice.hostID) in \(site.id) not permitted")
            #expect(
                allowed.permits(site, home: dataset.home), "\(label): \(choice.hostID) in \(site.id) breaks residency")
            #expect(host.status == .available && host.freeBytes > 0, "\(label): \(choice.hostID) is not usable")
            if site.embassyOf != nil { coverage.embassyCopies += 1 }
            if site.jurisdiction != dataset.home && level.storage == .homeAndAgreements && site.embassyOf == nil {
                coverage.agreementCopies += 1
            }
        }
        coverage.placedCopies += placement.choices.count

        let kinds = placement.violations.map(\.kind)
        #expect(Set(placement.hostIDs).count == placement.hostIDs.count, "\(label): a host is chosen twice")
        #expect(placement.choices.count <= replicas, "\(label)")
        #expect(placement.choices.count == min(replicas, eligibleHosts.count), "\(label): eligible hosts left unused")
        #expect(kinds.contains(.underReplicated) == (placement.choices.count < replicas), "\(label): \(kinds)")

        let usedSites = Set(placement.choices.map(\.siteID))
        #expect(usedSites.count == min(replicas, eligibleSites.count), "\(label): sites not spread")
        #expect(Set(placement.choices.map(\.failureDomain)).count == min(replicas, eligibleDomains.count), "\(label)")
        #expect(kinds.contains(.tooFewSites) == (usedSites.count < minSites), "\(label): \(kinds)")

        if homeRequired && !homeHosts.isEmpty {
            let first = try #require(placement.choices.first, "\(label)")
            #expect(homeHosts.contains { $0.id == first.hostID }, "\(label): no home replica first")
            #expect(!kinds.contains(.noHomeReplica), "\(label)")
        } else {
            #expect(kinds.contains(.noHomeReplica) == homeRequired, "\(label): \(kinds)")
        }

        let excluded = Set(placement.excludedSites.map(\.siteID))
        #expect(excluded == Set(world.topology.sites.map(\.id)).subtracting(eligibleSites), "\(label): exclusions")

        if kinds.contains(.underReplicated) { coverage.underReplicated += 1 }
        if kinds.contains(.noHomeReplica) { coverage.noHomeReplica += 1 }
        if kinds.contains(.tooFewSites) { coverage.tooFewSites += 1 }
        if kinds.isEmpty { coverage.fullyPlaced += 1 }
    }
}
