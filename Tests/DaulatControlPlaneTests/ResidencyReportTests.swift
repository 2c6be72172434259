import Crypto
import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

/// A jurisdiction's residency report through the API: what is stored there and on what basis, its
/// datasets abroad, and its key uses proven in the signed log; it verifies with the public key alone,
/// not with a byte changed; a regulator sees its own jurisdiction's only.
@Suite("Regulators: signed residency reports")
struct ResidencyReportTests {
    static let objectID = "obj-0123456789abcdef0123"

    @Test(
        "the report says where copies are and why, counts key uses from cited entries, and verifies",
        arguments: StoreKind.allCases)
    func report(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            // An Indonesian restricted dataset with a copy at home and one in Singapore (under the
            // Indonesia–Singapore agreement), and two unwraps: one allowed, one refused.
            let census = try await api.register("census", policy: #"{"replicas":2}"#).dataset.id
            try await api.addObject(Self.objectID, of: census, heldOn: ["id-jkt-1-a", "sg-sin-1-a"])
            for jurisdiction in ["ID", "EE"] {
                _ = try await api.admin(
                    .post, "/v1/datasets/\(census)/objects/\(Self.objectID)/unwrap",
                    json: try api.unwrapBody(census, object: Self.objectID, in: jurisdiction))
            }
            let key = try #require(try await api.admin(.get, "/v1/audit/public-key").json["publicKey"] as? String)

            let reply = try await api.admin(.get, "/v1/reports/residency?jurisdiction=ID")
            #expect(reply.status == 200, "\(reply.errorMessage ?? "")")
            let signed = try ResidencyReportVerifier.verify(reply.body, publicKey: key)
            let report = signed.report
            #expect(report.storedHere.map(\.hostID) == ["id-jkt-1-a"])
            let abroad = try #require(report.heldAbroad.first)
            #expect(
                report.heldAbroad.count == 1 && abroad.hostID == "sg-sin-1-a" && abroad.jurisdiction.rawValue == "SG")
            #expect(abroad.agreementID == "id-sg-restricted" && abroad.allowed)
            #expect(report.keyUses == [KeyUseCount(justification: .ownerAccess, allowed: 1, refused: 1)])
            #expect(report.citedEntries.count == 2)

            // Singapore's report shows the Indonesian copy stored there.
            let singapore = try ResidencyReportVerifier.verify(
                try await api.admin(.get, "/v1/reports/residency?jurisdiction=SG").body, publicKey: key
            ).report
            #expect(singapore.storedHere.map(\.datasetID) == [census] && singapore.heldAbroad.isEmpty)

            // One byte changed anywhere, another key, or a count not the cited entries': refused.
            var flipped = reply.body
            let middle = flipped.count / 2
            flipped[middle] = flipped[middle] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            #expect(throws: ReportVerificationError.self) {
                try ResidencyReportVerifier.verify(flipped, publicKey: key)
            }
            var spaced = reply.body
            spaced.insert(UInt8(ascii: " "), at: 1)
            #expect(throws: ReportVerificationError.self) { try ResidencyReportVerifier.verify(spaced, publicKey: key) }
            // Even signed with the alliance's own key, a key use counted twice is refused.
            let logKey = try AuditLogKey(
                sealed: try #require(try await api.store.auditLogKey()).sealedKey, sealingKey: api.sealingKey)
            var padded = signed.report
            padded.citedEntries.append(padded.citedEntries[0])
            let recounted = try KeyUseCount.counting(
                padded.citedEntries.map { try CanonicalJSON.decode(KeyUse.self, from: try #require($0.entry.after)) })
            padded.keyUses = recounted
            let forged = Data(try CanonicalJSON.encode(try logKey.sign(padded)).utf8)
            #expect(throws: ReportVerificationError.self) { try ResidencyReportVerifier.verify(forged, publicKey: key) }
            let otherKey = Data(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation).base64EncodedString()
            #expect(throws: ReportVerificationError.self) {
                try ResidencyReportVerifier.verify(reply.body, publicKey: otherKey)
            }
        }
    }

    @Test(
        "a report as at a past instant shows the copies and agreements of then, not of now, and verifies",
        arguments: StoreKind.allCases)
    func asAt(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let census = try await api.register("census", policy: #"{"replicas":2}"#).dataset.id
            let object = try await api.addObject(Self.objectID, of: census, heldOn: ["id-jkt-1-a", "sg-sin-1-a"])
            try await Task.sleep(for: .milliseconds(20))
            let before = CanonicalJSON.format(Date())
            try await Task.sleep(for: .milliseconds(20))
            // Since then: the agreement suspended and the copy in Singapore released.
            #expect(try await api.act(.suspend, "id-sg-restricted", by: "ID").status == 200)
            try await api.store.releaseCopy(objectID: object.id, hostID: "sg-sin-1-a", at: Date(), actor: "test")
            let key = try #require(try await api.admin(.get, "/v1/audit/public-key").json["publicKey"] as? String)

            let now = try ResidencyReportVerifier.verify(
                try await api.admin(.get, "/v1/reports/residency?jurisdiction=ID").body, publicKey: key
            ).report
            #expect(now.asAt == nil && now.heldAbroad.isEmpty && now.storedHere.map(\.hostID) == ["id-jkt-1-a"])

            let reply = try await api.admin(.get, "/v1/reports/residency?jurisdiction=ID&at=\(before)")
            #expect(reply.status == 200, "\(reply.errorMessage ?? "")")
            let then = try ResidencyReportVerifier.verify(reply.body, publicKey: key).report
            #expect(then.asAt.map(CanonicalJSON.format) == before)
            #expect(then.storedHere.map(\.hostID) == ["id-jkt-1-a"])
            let abroad = try #require(then.heldAbroad.first, "the copy in Singapore then")
            #expect(then.heldAbroad.count == 1 && abroad.hostID == "sg-sin-1-a")
            // Judged by the agreement as it then stood: in force, so the copy was allowed.
            #expect(abroad.agreementID == "id-sg-restricted" && abroad.allowed, "\(abroad)")
            let singaporeThen = try ResidencyReportVerifier.verify(
                try await api.admin(.get, "/v1/reports/residency?jurisdiction=SG&at=\(before)").body, publicKey: key
            ).report
            #expect(singaporeThen.storedHere.map(\.datasetID) == [census])

            // Before the dataset existed: nothing. In the future, or not a time: refused.
            let empty = try ResidencyReportVerifier.verify(
                try await api.admin(.get, "/v1/reports/residency?jurisdiction=ID&at=2020-01-01T00:00:00Z").body,
                publicKey: key
            ).report
            #expect(empty.storedHere.isEmpty && empty.heldAbroad.isEmpty && empty.violations.isEmpty)
            for at in ["2999-01-01T00:00:00Z", "yesterday"] {
                #expect(
                    try await api.admin(.get, "/v1/reports/residency?jurisdiction=ID&at=\(at)").errorCode
                        == "invalid_parameter", "\(at)")
            }
            let csv = String(
                decoding: try await api.admin(.get, "/v1/reports/residency?jurisdiction=ID&format=csv&at=\(before)")
                    .body,
                as: UTF8.self)
            let rows = csv.split(separator: "\r\n")
            #expect(rows.count == 3 && rows.dropFirst().allSatisfy { $0.hasSuffix(",\(before)") }, "\(csv)")
        }
    }

    @Test("a regulator gets its own jurisdiction's report only; CSV and HTML; bad parameters are 400s")
    func scopeAndFormats() async throws {
        try await APIHarness.run(.sqlite) { api in
            let census = try await api.register("census").dataset.id
            try await api.addObject(Self.objectID, of: census, heldOn: ["id-jkt-1-a"])
            let regulator = try await api.issueToken(role: "regulator", jurisdiction: "ID")
            let owner = try await api.issueToken(role: "owner", agency: "bps")
            #expect(try await api.send(.get, "/v1/reports/residency?jurisdiction=ID", token: regulator).status == 200)
            #expect(try await api.send(.get, "/v1/reports/residency?jurisdiction=SG", token: regulator).status == 404)
            #expect(try await api.send(.get, "/v1/reports/residency?jurisdiction=ID", token: owner).status == 403)
            for path in [
                "/v1/reports/residency", "/v1/reports/residency?jurisdiction=Indonesia",
                "/v1/reports/residency?jurisdiction=ID&format=pdf",
            ] {
                #expect(try await api.admin(.get, path).errorCode == "invalid_parameter", "\(path)")
            }
            #expect(try await api.admin(.get, "/v1/reports/residency?jurisdiction=ZZ").status == 422)

            let csv = String(
                decoding: try await api.send(
                    .get, "/v1/reports/residency?jurisdiction=ID&format=csv", token: regulator
                ).body, as: UTF8.self)
            let rows = csv.split(separator: "\r\n")
            #expect(rows.first?.hasPrefix("direction,dataset_id,") == true)
            #expect(
                rows.count == 2 && rows[1].hasPrefix("stored-here,\(census),census,bps,ID,restricted,\(Self.objectID)"))
            let html = String(
                decoding: try await api.send(
                    .get, "/v1/reports/residency?jurisdiction=ID&format=html", token: regulator
                ).body, as: UTF8.self)
            #expect(html.hasPrefix("<!doctype html>") && html.contains("Residency report: ID"))
            #expect(html.contains("id-jkt-1-a") && !html.contains("<script") && !html.contains("http"))
        }
    }
}
