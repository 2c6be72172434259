import DaulatControlPlane
import DaulatCore
import DaulatTestSupport
import Foundation
import Testing

@Suite("Placement through the API")
struct PlacementAPITests {
    @Test("show explains every verdict and every chosen host", arguments: StoreKind.allCases)
    func explanations(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let registered = try await api.register("census-2025", home: "ID", policy: #"{"replicas":3}"#)
            let shown = try await api.admin(.get, "/v1/datasets/\(registered.dataset.id)").decode(DatasetView.self)
            let storage = Dictionary(
                uniqueKeysWithValues: shown.evaluatedPolicy.storage.map { ($0.jurisdiction.rawValue, $0) })
            #expect(storage["ID"]?.reason.rule == .home)
            #expect(storage["SG"]?.allowed == true)
            #expect(storage["SG"]?.reason.agreementID == "id-sg-restricted")
            #expect(storage["MY"]?.allowed == false)
            #expect(storage["MY"]?.reason.rule == .noAgreement)
            #expect(storage["EE"]?.reason.rule == .noAgreement)
            let placement = try #require(shown.placement)
            #expect(placement.choices.count == 3)
            #expect(placement.violations.isEmpty)
            #expect(Set(placement.choices.map(\.jurisdiction.rawValue)).isSubset(of: ["ID", "SG"]))
            #expect(placement.choices.first?.jurisdiction.rawValue == "ID")
            #expect(placement.choices.allSatisfy { !$0.explanation.isEmpty })
            #expect(placement.excludedSites.contains { $0.siteID == "my-kul-1" && $0.reason.contains("no agreement") })
        }
    }

    @Test("an unsatisfiable policy is reported as a violation, never placed outside the allowed set")
    func unsatisfiable() async throws {
        try await APIHarness.run(.sqlite) { api in
            // Secret stays in Finland, which has one site with one host.
            let view = try await api.register(
                "tax-records", agency: "vero", home: "FI", classification: "secret",
                policy: #"{"replicas":3,"minDistinctSites":2}"#)
            let placement = try #require(view.placement)
            #expect(placement.hostIDs == ["fi-hel-1-a"])
            #expect(Set(placement.violations.map(\.kind)) == [.underReplicated, .tooFewSites])
        }
    }

    @Test(
        "a registration right after a catalog change is planned from the changed catalog", arguments: StoreKind.allCases
    )
    func registrationAfterCatalogChange(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let before = try await api.register("census-2024", home: "ID", policy: #"{"replicas":3}"#)
            #expect(before.placement?.choices.contains { $0.jurisdiction.rawValue == "SG" } == true)

            #expect(try await api.act(.suspend, "id-sg-restricted", by: "ID").status == 200)
            let after = try await api.register("census-2025", home: "ID", policy: #"{"replicas":3}"#)
            #expect(after.placement?.choices.map(\.jurisdiction.rawValue) == ["ID", "ID", "ID"])
            #expect(
                after.evaluatedPolicy.storage.first { $0.jurisdiction.rawValue == "SG" }?.reason.rule
                    == .agreementNotInForce)

            let classification = """
                {"name":"statistical","rank":1,"storage":"home","keys":"home","processing":"home","dataEmbassyPermitted":false,\
                "defaultReplicas":1,"defaultMinDistinctSites":1,"homeReplicaRequired":true}
                """
            #expect(try await api.admin(.post, "/v1/classifications", json: classification).status == 201)
            let newlyClassified = try await api.register("survey-2025", home: "ID", classification: "statistical")
            #expect(newlyClassified.dataset.classification == "statistical")
            #expect(newlyClassified.placement?.choices.map(\.jurisdiction.rawValue) == ["ID"])
        }
    }

    @Test(
        "a party suspending an agreement moves copies out of the partner state; resuming lets them back",
        arguments: StoreKind.allCases)
    func suspendAndResume(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let registered = try await api.register("census-2025", home: "ID", policy: #"{"replicas":3}"#)
            let id = registered.dataset.id
            #expect(registered.placement?.choices.contains { $0.jurisdiction.rawValue == "SG" } == true)

            #expect(try await api.act(.suspend, "id-sg-restricted", by: "ID").status == 200)
            let withdrawn = try await api.eventually {
                let placement = try await api.store.placement(datasetID: id)
                return placement?.choices.allSatisfy { $0.jurisdiction.rawValue == "ID" } == true
            }
            #expect(withdrawn)
            let placement = try #require(try await api.store.placement(datasetID: id))
            // Only two Indonesian sites: three replicas still fit on three hosts there.
            #expect(placement.choices.count == 3)
            let shown = try await api.admin(.get, "/v1/datasets/\(id)").decode(DatasetView.self)
            #expect(
                shown.evaluatedPolicy.storage.first { $0.jurisdiction.rawValue == "SG" }?.reason.rule
                    == .agreementNotInForce)

            #expect(try await api.act(.resume, "id-sg-restricted", by: "ID").status == 200)
            #expect(
                try await api.eventually {
                    try await api.store.placement(datasetID: id)?.choices.contains { $0.jurisdiction.rawValue == "SG" }
                        == true
                })
            let actions = try await api.store.auditEntries(after: 0, limit: 1000).map(\.action)
            #expect(actions.contains("agreement.suspended"))
            #expect(actions.filter { $0 == "placement.changed" }.count >= 3)
        }
    }

    @Test("an agreement's end date passing re-plans with no API call", arguments: StoreKind.allCases)
    func untilPasses(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            // Long enough for the dataset to be placed under it even on a loaded machine.
            let until = CanonicalJSON.format(Date().addingTimeInterval(10))
            let created = try await api.admin(
                .post, "/v1/agreements",
                json:
                    #"{"id":"my-sg-short","name":"Short MY-SG pilot","parties":["MY","SG"],"classifications":["restricted"],"purposes":["storage"],"from":"2020-01-01T00:00:00Z","until":"\#(until)"}"#
            )
            #expect(created.status == 201)
            #expect(try await api.sign("my-sg-short", by: "MY").status == 200)
            #expect(try await api.sign("my-sg-short", by: "SG").json["status"] as? String == "in_force")
            let view = try await api.register("trade-stats", agency: "dosm", home: "MY", policy: #"{"replicas":3}"#)
            #expect(
                try await api.eventually {
                    try await api.store.placement(datasetID: view.dataset.id)?.choices.contains {
                        $0.jurisdiction.rawValue == "SG"
                    } == true
                })
            // No further calls: the reconciler notices the end of the window by itself.
            #expect(
                try await api.eventually(within: 25) {
                    try await api.store.placement(datasetID: view.dataset.id)?.choices.allSatisfy {
                        $0.jurisdiction.rawValue == "MY"
                    } == true
                })
        }
    }

    @Test("changing a policy re-plans at once", arguments: StoreKind.allCases)
    func policyChange(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let view = try await api.register("census-2025", home: "ID", policy: #"{"replicas":3}"#)
            let changed = try await api.admin(
                .put, "/v1/datasets/\(view.dataset.id)/policy", json: #"{"storage":["ID"],"replicas":2}"#)
            #expect(changed.status == 200)
            let after = try changed.decode(DatasetView.self)
            #expect(after.placement?.choices.count == 2)
            #expect(after.placement?.choices.allSatisfy { $0.jurisdiction.rawValue == "ID" } == true)
            #expect(
                after.evaluatedPolicy.storage.first { $0.jurisdiction.rawValue == "SG" }?.reason.rule
                    == .excludedByDatasetPolicy)
            #expect(try await api.store.placement(datasetID: view.dataset.id)?.hostIDs == after.placement?.hostIDs)
        }
    }

    @Test("listing pages with a cursor and filters", arguments: StoreKind.allCases)
    func paging(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            for index in 0..<5 {
                try await api.register("set-\(index)", home: index < 3 ? "ID" : "MY", classification: "internal")
            }
            var names: [String] = []
            var cursor: String?
            repeat {
                let query =
                    "/v1/datasets?limit=2"
                    + (cursor.map { "&cursor=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
                        ?? "")
                let page = try await api.admin(.get, query).decode(DatasetList.self)
                #expect(page.datasets.count <= 2)
                names += page.datasets.map(\.name)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(names == ["set-0", "set-1", "set-2", "set-3", "set-4"])
            #expect(
                try await api.admin(.get, "/v1/datasets?home=MY").decode(DatasetList.self).datasets.map(\.name) == [
                    "set-3", "set-4",
                ])
            #expect(
                try await api.admin(.get, "/v1/datasets?classification=public").decode(DatasetList.self).datasets
                    .isEmpty)
        }
    }
}
