import DaulatCore
import Foundation
import Testing

/// The example alliance (ASEAN and EU members with an Estonian data embassy in Luxembourg), built in code.
enum Fixture {
    static let tebibyte: Int64 = 1_099_511_627_776

    static func code(_ raw: String) -> JurisdictionCode {
        try! JurisdictionCode(raw)
    }

    static func codes(_ raws: String...) -> Set<JurisdictionCode> {
        Set(raws.map(code))
    }

    static func date(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    static func milliseconds(_ value: Int64) -> Date {
        Date(timeIntervalSince1970: Double(value) / 1000)
    }

    static let jurisdictions: [Jurisdiction] = [
        Jurisdiction(code: code("ID"), name: "Indonesia"),
        Jurisdiction(code: code("SG"), name: "Singapore"),
        Jurisdiction(code: code("MY"), name: "Malaysia"),
        Jurisdiction(code: code("EE"), name: "Estonia"),
        Jurisdiction(code: code("FI"), name: "Finland"),
        Jurisdiction(code: code("LU"), name: "Luxembourg"),
    ]

    static let groups: [JurisdictionGroup] = [
        JurisdictionGroup(name: "asean", members: ["ID", "SG", "MY"]),
        JurisdictionGroup(name: "nordic", members: ["FI", "EE"]),
        JurisdictionGroup(name: "eu", members: ["nordic", "LU"]),
    ]

    static let publicLevel = Classification(
        name: "public",
        rank: 0,
        storage: .alliance,
        keys: .home,
        processing: .alliance,
        dataEmbassyPermitted: false,
        defaultReplicas: 2,
        defaultMinDistinctSites: 2,
        homeReplicaRequired: false
    )

    static let internalLevel = Classification(
        name: "internal",
        rank: 1,
        storage: .homeGroups,
        keys: .home,
        processing: .homeGroups,
        dataEmbassyPermitted: false,
        defaultReplicas: 2,
        defaultMinDistinctSites: 2,
        homeReplicaRequired: false
    )

    static let restrictedLevel = Classification(
        name: "restricted",
        rank: 2,
        storage: .homeAndAgreements,
        keys: .home,
        processing: .home,
        dataEmbassyPermitted: true,
        defaultReplicas: 3,
        defaultMinDistinctSites: 2,
        homeReplicaRequired: true
    )

    static let secretLevel = Classification(
        name: "secret",
        rank: 3,
        storage: .home,
        keys: .home,
        processing: .home,
        dataEmbassyPermitted: true,
        defaultReplicas: 2,
        defaultMinDistinctSites: 1,
        homeReplicaRequired: true
    )

    static let classifications = [publicLevel, internalLevel, restrictedLevel, secretLevel]

    static let alliance = Alliance(jurisdictions: jurisdictions, groups: groups, classifications: classifications)

    static func makeSite(
        _ id: String,
        _ jurisdiction: String,
        _ city: String,
        _ domain: String,
        embassyOf: String? = nil
    ) -> Site {
        Site(
            id: id,
            jurisdiction: code(jurisdiction),
            city: city,
            operatorName: "operator of \(id)",
            failureDomain: domain,
            embassyOf: embassyOf.map(code)
        )
    }

    static let sites: [Site] = [
        makeSite("id-jkt-1", "ID", "Jakarta", "java-west"),
        makeSite("id-btm-1", "ID", "Batam", "riau-islands"),
        makeSite("sg-sin-1", "SG", "Singapore", "singapore"),
        makeSite("my-kul-1", "MY", "Kuala Lumpur", "klang-valley"),
        makeSite("my-jhb-1", "MY", "Johor Bahru", "johor"),
        makeSite("ee-tll-1", "EE", "Tallinn", "harju"),
        makeSite("ee-trt-1", "EE", "Tartu", "tartu"),
        makeSite("fi-hel-1", "FI", "Helsinki", "uusimaa"),
        makeSite("lu-bet-1", "LU", "Bettembourg", "luxembourg-south"),
        makeSite("lu-ee-embassy-1", "LU", "Luxembourg", "luxembourg-centre", embassyOf: "EE"),
    ]

    static let hosts: [StorageHost] = [
        "id-jkt-1-a", "id-jkt-1-b", "id-btm-1-a", "sg-sin-1-a", "my-kul-1-a", "my-jhb-1-a", "ee-tll-1-a",
        "ee-trt-1-a", "fi-hel-1-a", "lu-bet-1-a", "lu-ee-embassy-1-a",
    ].map { id in
        StorageHost(id: id, siteID: String(id.dropLast(2)), capacityBytes: tebibyte, freeBytes: tebibyte)
    }

    static let topology = Topology(sites: sites, hosts: hosts)

    static let idSgRestricted = Agreement(
        id: "id-sg-restricted",
        name: "Indonesia-Singapore restricted data sharing",
        parties: [code("ID"), code("SG")],
        classifications: ["restricted"],
        purposes: [.storage, .processing],
        from: date("2025-01-01T00:00:00Z"),
        until: nil,
        status: .inForce
    )

    static let eeLuDataEmbassy = Agreement(
        id: "ee-lu-data-embassy",
        name: "Estonia-Luxembourg data embassy",
        parties: [code("EE"), code("LU")],
        classifications: ["restricted", "secret"],
        purposes: [.dataEmbassy],
        from: date("2017-06-20T00:00:00Z"),
        until: nil,
        status: .inForce
    )

    static let eeFiXRoad = Agreement(
        id: "ee-fi-x-road",
        name: "Estonia-Finland X-Road federation",
        parties: [code("EE"), code("FI")],
        classifications: ["restricted"],
        purposes: [.storage, .processing],
        from: date("2018-02-07T00:00:00Z"),
        until: nil,
        status: .inForce
    )

    static let mySgRestricted = Agreement(
        id: "my-sg-restricted",
        name: "Malaysia-Singapore restricted data sharing (under negotiation)",
        parties: [code("MY"), code("SG")],
        classifications: ["restricted"],
        purposes: [.storage],
        from: date("2027-01-01T00:00:00Z"),
        until: nil,
        status: .draft
    )

    static let agreements = [idSgRestricted, eeLuDataEmbassy, eeFiXRoad, mySgRestricted]

    static let evaluator = PolicyEvaluator(alliance: alliance, agreements: agreements)

    /// An instant when every agreement of the example except the draft is in force.
    static let now = date("2026-01-31T00:00:00Z")

    static func dataset(
        _ id: String = "census-2025",
        home: String = "ID",
        classification: String = "restricted",
        policy: ResidencyPolicy = ResidencyPolicy()
    ) -> Dataset {
        Dataset(
            id: id,
            name: id,
            ownerAgency: "agency",
            home: code(home),
            classification: classification,
            policy: policy,
            createdAt: date("2025-06-01T00:00:00Z"),
            updatedAt: date("2025-06-01T00:00:00Z")
        )
    }

    static func site(_ id: String) -> Site {
        sites.first { $0.id == id }!
    }
}

extension EvaluatedPolicy {
    func storageVerdict(_ raw: String) -> JurisdictionVerdict? {
        storage.first { $0.jurisdiction.rawValue == raw }
    }

    func verdict(_ use: JurisdictionUse, _ raw: String) -> JurisdictionVerdict? {
        verdicts(for: use).first { $0.jurisdiction.rawValue == raw }
    }
}

/// Expects `body` to throw a ``DomainError`` with `code`.
func expectDomainError(
    _ code: DomainError.Code,
    _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    let error = #expect(throws: DomainError.self, comment, sourceLocation: sourceLocation) { try body() }
    #expect(error?.code == code, comment, sourceLocation: sourceLocation)
}
