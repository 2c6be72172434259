import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

@testable import DaulatControlPlane

/// A residency report's copies, read a batch at a time and written out as they are read: the batches'
/// size and how many datasets are kept between them change nothing in what is listed, and the streamed
/// CSV lists what the signed JSON does.
@Suite("Regulators: a report's copies read a batch at a time")
struct CurrentCopiesTests {
    @Test(
        "small batches and a small dataset cache list the same copies as one batch; the CSV lists the JSON's copies",
        arguments: StoreKind.allCases)
    func pages(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            // Two Indonesian datasets and a Singaporean one, with copies at home and abroad.
            let census = try await api.register("census", policy: #"{"replicas":2}"#).dataset.id
            let health = try await api.register("health", policy: #"{"replicas":2}"#).dataset.id
            let transport = try await api.register("transport", home: "SG").dataset.id
            let hosts = ["id-jkt-1-a", "id-btm-1-a", "sg-sin-1-a", "my-kul-1-a"]
            // Enough copies for the CSV to pass its write buffer more than once.
            for (index, dataset) in [census, health, transport].enumerated() {
                for number in 0..<100 {
                    try await api.addObject(
                        "obj-\(index)-\(number)-0123456789abcdef", of: dataset,
                        heldOn: Array(hosts.prefix(number % 4 + 1)))
                }
            }
            let whole = try await Self.read(api.store, batchSize: 5_000, datasetsKept: 10_000)
            // Stored in Indonesia: every copy on id-* hosts (3 datasets × 25 × (1 + 2 + 2 + 2));
            // abroad: the Indonesian datasets' copies elsewhere (2 datasets × 25 × (0 + 0 + 1 + 2)).
            #expect(whole.filter { $0.direction == .storedHere }.count == 525)
            let abroad = whole.filter { $0.direction == .heldAbroad }.map(\.copy.datasetID)
            #expect(abroad.count == 150 && Set(abroad) == [census, health])
            #expect(
                whole.allSatisfy { ($0.direction == .storedHere) == ($0.copy.jurisdiction.rawValue == "ID") })
            for (batchSize, datasetsKept) in [(1, 1), (2, 1), (3, 2), (97, 3)] {
                let batched = try await Self.read(api.store, batchSize: batchSize, datasetsKept: datasetsKept)
                #expect(batched == whole, "batches of \(batchSize), \(datasetsKept) datasets kept")
            }

            let key = try #require(try await api.admin(.get, "/v1/audit/public-key").json["publicKey"] as? String)
            let signed = try ResidencyReportVerifier.verify(
                try await api.admin(.get, "/v1/reports/residency?jurisdiction=ID").body, publicKey: key
            ).report
            // Each stream gives its place back when it ends: more reports in a row than may run at once.
            for _ in 0..<ReportStreams.limit + 2 {
                #expect(try await api.admin(.get, "/v1/reports/residency?jurisdiction=ID&format=csv").status == 200)
            }
            let reply = try await api.admin(.get, "/v1/reports/residency?jurisdiction=ID&format=csv")
            #expect(reply.status == 200 && reply.body.count > 2 * 65_536, "\(reply.body.count) bytes")
            let rows = String(decoding: reply.body, as: UTF8.self).split(separator: "\r\n").dropFirst()
            // Every field of every row as the signed JSON has it, up to the basis (which holds commas).
            let expected =
                (signed.storedHere.map { ("stored-here", $0) } + signed.heldAbroad.map { ("held-abroad", $0) })
                .map { direction, copy in
                    [
                        direction, copy.datasetID, copy.datasetName, copy.ownerAgency, copy.home.rawValue,
                        copy.classification, copy.objectID, "\(copy.sizeBytes)", copy.hostID, copy.siteID,
                        copy.jurisdiction.rawValue, copy.allowed ? "yes" : "no", copy.agreementID ?? "",
                    ].joined(separator: ",")
                }.sorted()
            let listed = rows.map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(13) }
                .map { $0.joined(separator: ",") }.sorted()
            #expect(listed == expected && listed.count == whole.count)
            let bases = Set(signed.storedHere.map(\.basis) + signed.heldAbroad.map(\.basis))
            #expect(
                rows.allSatisfy { row in bases.contains { row.contains(",\"\($0)\",") || row.contains(",\($0),") } })
        }
    }

    @Test("past the limit, a streamed report is refused with 503 reports_busy until one ends")
    func busy() throws {
        let streams = ReportStreams()
        var slots = try (0..<ReportStreams.limit).map { _ in try streams.admit() }
        #expect(throws: APIError.self) { try streams.admit() }
        slots.removeLast()
        slots.append(try streams.admit())
        #expect(slots.count == ReportStreams.limit)
    }

    /// Every copy of Indonesia's report as ``CurrentCopies`` hands them over, in a stable order.
    static func read<Store: DaulatStore>(_ store: Store, batchSize: Int, datasetsKept: Int) async throws -> [Listed] {
        var copies = CurrentCopies(
            store: store, evaluator: try await PlacementService(store: store).snapshot().evaluator,
            topology: try await store.topology(), jurisdiction: try JurisdictionCode("ID"),
            now: CanonicalJSON.rounded(Date()))
        copies.batchSize = batchSize
        copies.datasetsKept = datasetsKept
        var listed: [Listed] = []
        try await copies.forEachBatch { batch, judge in
            #expect(batch.count <= batchSize)
            listed += batch.compactMap(judge).map { Listed(direction: copies.direction(of: $0), copy: $0) }
        }
        return listed.sorted { ($0.copy.objectID, $0.copy.hostID) < ($1.copy.objectID, $1.copy.hostID) }
    }

    struct Listed: Equatable {
        let direction: CopyDirection
        let copy: ReportedCopy
    }
}
