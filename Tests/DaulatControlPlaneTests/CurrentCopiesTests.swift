import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

@testable import DaulatControlPlane

/// A residency report's copies, read a page at a time and written out as they are read: the pages'
/// size and how many datasets are kept between them change nothing in what is listed, and the streamed
/// CSV lists what the signed JSON does.
@Suite("Regulators: a report's copies read a page at a time")
struct CurrentCopiesTests {
    @Test(
        "small pages and a small dataset cache list the same copies as one page; the CSV lists the JSON's copies",
        arguments: StoreKind.allCases)
    func pages(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            // Two Indonesian datasets and a Singaporean one, with copies at home and abroad.
            let census = try await api.register("census", policy: #"{"replicas":2}"#).dataset.id
            let health = try await api.register("health", policy: #"{"replicas":2}"#).dataset.id
            let transport = try await api.register("transport", home: "SG").dataset.id
            let hosts = ["id-jkt-1-a", "id-btm-1-a", "sg-sin-1-a", "my-kul-1-a"]
            for (index, dataset) in [census, health, transport].enumerated() {
                for number in 0..<4 {
                    try await api.addObject(
                        "obj-\(index)-\(number)-0123456789abcdef", of: dataset,
                        heldOn: Array(hosts.prefix(number + 1)))
                }
            }
            let whole = try await Self.read(api.store, pageSize: 5_000, datasetsKept: 10_000)
            // Stored in Indonesia: every copy on id-* hosts (3 datasets × (1 + 2 + 2 + 2));
            // abroad: the Indonesian datasets' copies elsewhere (2 datasets × (0 + 0 + 1 + 2)).
            #expect(whole.filter { $0.direction == .storedHere }.count == 21)
            #expect(
                whole.filter { $0.direction == .heldAbroad }.map(\.copy.datasetID).sorted()
                    == [census, census, census, health, health, health].sorted())
            #expect(
                whole.allSatisfy { ($0.direction == .storedHere) == ($0.copy.jurisdiction.rawValue == "ID") })
            for (pageSize, datasetsKept) in [(1, 1), (2, 1), (3, 2), (7, 3)] {
                let paged = try await Self.read(api.store, pageSize: pageSize, datasetsKept: datasetsKept)
                #expect(paged == whole, "pages of \(pageSize), \(datasetsKept) datasets kept")
            }

            let key = try #require(try await api.admin(.get, "/v1/audit/public-key").json["publicKey"] as? String)
            let signed = try ResidencyReportVerifier.verify(
                try await api.admin(.get, "/v1/reports/residency?jurisdiction=ID").body, publicKey: key
            ).report
            let reply = try await api.admin(.get, "/v1/reports/residency?jurisdiction=ID&format=csv")
            #expect(reply.status == 200)
            let rows = String(decoding: reply.body, as: UTF8.self).split(separator: "\r\n").dropFirst()
                .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            let listed = rows.map { "\($0[0]) \($0[6]) \($0[8])" }.sorted()
            let reported =
                (signed.storedHere.map { "stored-here \($0.objectID) \($0.hostID)" }
                + signed.heldAbroad.map { "held-abroad \($0.objectID) \($0.hostID)" }).sorted()
            #expect(listed == reported && listed.count == whole.count)
        }
    }

    /// Every copy of Indonesia's report as ``CurrentCopies`` hands them over, in order.
    static func read<Store: DaulatStore>(_ store: Store, pageSize: Int, datasetsKept: Int) async throws -> [Listed] {
        var copies = CurrentCopies(
            store: store, evaluator: try await PlacementService(store: store).snapshot().evaluator,
            topology: try await store.topology(), jurisdiction: try JurisdictionCode("ID"),
            now: CanonicalJSON.rounded(Date()))
        copies.pageSize = pageSize
        copies.datasetsKept = datasetsKept
        var listed: [Listed] = []
        _ = try await copies.forEachPage { direction, page in
            #expect(page.count <= pageSize)
            listed += page.map { Listed(direction: direction, copy: $0) }
        }
        return listed
    }

    struct Listed: Equatable {
        let direction: CopyDirection
        let copy: ReportedCopy
    }
}
