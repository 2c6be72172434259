import DaulatControlPlane
import DaulatCore
import DaulatTestSupport
import Foundation
import Testing

@Suite("Authorization: roles and tenant scoping")
struct AuthorizationTests {
    @Test(
        "an owner sees and changes only its own agency's datasets; another agency's are 404",
        arguments: StoreKind.allCases)
    func ownerScoping(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let mine = try await api.register("census-2025", agency: "bps")
            let theirs = try await api.register("civil-registry", agency: "dukcapil")
            let bps = try await api.issueToken(role: "owner", agency: "bps")

            let list = try await api.send(.get, "/v1/datasets", token: bps).decode(DatasetList.self)
            #expect(list.datasets.map(\.id) == [mine.dataset.id])
            // Even asking for the other agency by filter shows nothing.
            #expect(
                try await api.send(.get, "/v1/datasets?owner=dukcapil", token: bps).decode(DatasetList.self).datasets
                    .map(\.id) == [mine.dataset.id])
            #expect(try await api.send(.get, "/v1/datasets/\(mine.dataset.id)", token: bps).status == 200)

            let before = try await api.stateFingerprint()
            let other = theirs.dataset.id
            for reply in [
                try await api.send(.get, "/v1/datasets/\(other)", token: bps),
                try await api.send(.put, "/v1/datasets/\(other)/policy", token: bps, json: #"{"replicas":1}"#),
                try await api.send(.delete, "/v1/datasets/\(other)", token: bps),
            ] {
                #expect(reply.status == 404)
                #expect(reply.errorCode == "not_found")
                #expect(reply.errorMessage == "dataset '\(other)' not found")
            }
            // Registering for another agency is refused.
            let foreign = try await api.send(
                .post, "/v1/datasets", token: bps,
                json: #"{"name":"x","classification":"public","home":"ID","ownerAgency":"dukcapil"}"#
            )
            #expect(foreign.status == 403)
            #expect(foreign.errorCode == "forbidden")
            #expect(try await api.stateFingerprint() == before)

            // An owner registers without naming its agency.
            let own = try await api.send(
                .post, "/v1/datasets", token: bps, json: #"{"name":"survey","classification":"public","home":"ID"}"#)
            #expect(own.status == 201)
            #expect(try own.decode(DatasetView.self).dataset.ownerAgency == "bps")
        }
    }

    @Test("a regulator reads only what concerns its jurisdiction and changes nothing", arguments: StoreKind.allCases)
    func regulatorScoping(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            // Restricted, at home in ID: copies in ID and, under the ID-SG agreement, SG.
            let indonesian = try await api.register(
                "census-2025", agency: "bps", home: "ID", policy: #"{"replicas":3}"#)
            #expect(indonesian.placement?.choices.contains { $0.jurisdiction.rawValue == "SG" } == true)
            let estonian = try await api.register("population", agency: "rik", home: "EE", classification: "secret")
            let singapore = try await api.issueToken(role: "regulator", jurisdiction: "SG")
            let estonia = try await api.issueToken(role: "regulator", jurisdiction: "EE")

            #expect(
                try await api.send(.get, "/v1/datasets", token: singapore).decode(DatasetList.self).datasets.map(\.id)
                    == [indonesian.dataset.id])
            #expect(
                try await api.send(.get, "/v1/datasets", token: estonia).decode(DatasetList.self).datasets.map(\.id)
                    == [estonian.dataset.id])
            #expect(try await api.send(.get, "/v1/datasets/\(indonesian.dataset.id)", token: singapore).status == 200)
            #expect(try await api.send(.get, "/v1/datasets/\(estonian.dataset.id)", token: singapore).status == 404)

            let before = try await api.stateFingerprint()
            for reply in [
                try await api.send(
                    .post, "/v1/datasets", token: singapore,
                    json: #"{"name":"x","classification":"public","home":"SG"}"#),
                try await api.send(
                    .put, "/v1/datasets/\(indonesian.dataset.id)/policy", token: singapore, json: #"{"replicas":2}"#),
                try await api.send(.delete, "/v1/datasets/\(indonesian.dataset.id)", token: singapore),
                // Singapore's regulator may hand in Singapore's acts, not Indonesia's.
                try await api.send(
                    .post, "/v1/agreements/id-sg-restricted/acts", token: singapore,
                    json: try await api.actBody(.suspend, "id-sg-restricted", by: "ID")),
                try await api.send(.post, "/v1/tokens", token: singapore, json: #"{"name":"x","role":"operator"}"#),
            ] {
                #expect(reply.status == 403)
                #expect(reply.errorCode == "forbidden")
            }
            #expect(try await api.stateFingerprint() == before)
        }
    }

    @Test("only operators manage the alliance, agreements, tokens and the audit log")
    func operatorOnly() async throws {
        try await APIHarness.run(.sqlite) { api in
            let owner = try await api.issueToken(role: "owner", agency: "bps")
            let before = try await api.stateFingerprint()
            for (method, path, json) in [
                ("POST", "/v1/jurisdictions", #"{"code":"TH","name":"Thailand"}"#),
                (
                    "POST", "/v1/sites",
                    #"{"id":"x","jurisdiction":"ID","city":"x","operatorName":"x","failureDomain":"x"}"#
                ),
                (
                    "POST", "/v1/agreements",
                    #"{"id":"a","name":"a","parties":["ID","MY"],"classifications":["restricted"],"purposes":["storage"],"from":"2026-01-01"}"#
                ),
                ("POST", "/v1/agreements/ee-fi-x-road/acts", nil),
                ("POST", "/v1/agreements/ee-fi-x-road/signatures", nil),
                ("POST", "/v1/tokens", #"{"name":"x","role":"operator"}"#),
                ("GET", "/v1/audit", nil),
            ] as [(String, String, String?)] {
                let reply = try await api.send(method == "GET" ? .get : .post, path, token: owner, json: json)
                #expect(reply.status == 403, "\(method) \(path)")
            }
            #expect(try await api.stateFingerprint() == before)
        }
    }

    @Test(
        "evacuations are scoped like datasets: an owner sees its agency's, a regulator those from or of its jurisdiction",
        arguments: StoreKind.allCases)
    func evacuationScoping(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let census = try await api.register("census-2025", agency: "bps")
            let registry = try await api.register("registry", agency: "dukcapil")
            let now = Date()
            for (index, (dataset, agency, host, site, jurisdiction)) in [
                (census.dataset.id, "bps", "sg-sin-1-a", "sg-sin-1", "SG"),
                (registry.dataset.id, "dukcapil", "my-kul-1-a", "my-kul-1", "MY"),
            ].enumerated() {
                let evacuation = Evacuation(
                    id: "evac-\(index)", objectID: "obj-\(index)", datasetID: dataset, ownerAgency: agency,
                    home: try JurisdictionCode("ID"), hostID: host, siteID: site,
                    jurisdiction: try JurisdictionCode(jurisdiction), reason: "test", startedAt: now,
                    deadline: now.addingTimeInterval(60), quarantined: false)
                try await api.store.recordEvacuation(
                    EvacuationChange(evacuation, .started, at: Date()), actor: "system:test")
            }
            // With no copies behind them the reconciler may end these at any moment; ended ones are listed too.
            struct Listed: Decodable { let evacuations: [Evacuation] }
            func visible(_ token: String, _ query: String = "") async throws -> [String] {
                let reply = try await api.send(.get, "/v1/evacuations\(query)", token: token)
                #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
                return try reply.decode(Listed.self).evacuations.map(\.id).sorted()
            }
            let bps = try await api.issueToken(role: "owner", agency: "bps")
            let singapore = try await api.issueToken(role: "regulator", jurisdiction: "SG")
            let indonesia = try await api.issueToken(role: "regulator", jurisdiction: "ID")
            let finland = try await api.issueToken(role: "regulator", jurisdiction: "FI")
            #expect(try await visible(bps) == ["evac-0"])
            #expect(try await visible(singapore) == ["evac-0"])
            #expect(try await visible(indonesia) == ["evac-0", "evac-1"])
            #expect(try await visible(finland).isEmpty)
            #expect(try await visible(bps, "?state=all&dataset=\(census.dataset.id)") == ["evac-0"])
            let foreign = try await api.send(.get, "/v1/evacuations?dataset=\(registry.dataset.id)", token: bps)
            #expect(foreign.status == 404 && foreign.errorCode == "not_found")
        }
    }
}
