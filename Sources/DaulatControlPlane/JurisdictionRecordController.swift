import DaulatCore
import DaulatPKI
import Foundation
import Hummingbird

/// `/v1/jurisdictions/{code}/record`: each state's signed record of the sites, hosts and custodians on
/// its soil. The control plane drafts it from its topology; only the state's authority can sign it, and
/// an operator or that state's regulator hands it in. Agents and custodians take where they stand from
/// these signatures, so the database alone moves nothing across a border.
struct JurisdictionRecordController<Store: DaulatStore>: Sendable {
    let store: Store
    let reconciler: PlacementReconciler<Store>
    let charter: EstablishedCharter<Store>
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.get("jurisdictions/:code/record") { _, context in
            let jurisdiction = try await member(try context.parameters.require("code"))
            return try JSONResponse.make(try await view(of: jurisdiction))
        }
        group.post("jurisdictions/:code/record") { request, context in
            let jurisdiction = try await member(try context.parameters.require("code"))
            let caller = try context.requireRelay(for: jurisdiction)
            let text = try await RequestBody.decode(Strict<JurisdictionRecordRequest>.self, from: request).value.record
            let charter = try await self.charter.required()
            let record: JurisdictionRecord
            do throws(JurisdictionRecordError) {
                record = try JurisdictionRecordSignatures.verify(text, under: charter)
            } catch {
                throw APIError(.unprocessableContent, code: error.code, message: error.description)
            }
            guard record.jurisdiction == jurisdiction else {
                throw APIError(
                    .unprocessableContent, code: "jurisdiction_mismatch",
                    message: "the record is \(record.jurisdiction)'s, not \(jurisdiction)'s")
            }
            do {
                try await store.saveJurisdictionRecord(
                    text, jurisdiction: jurisdiction, version: record.version, at: clock(), actor: caller.auditActor)
            } catch StoreError.conflict {
                throw APIError(
                    .conflict, code: "jurisdiction_record_stale",
                    message:
                        "\(jurisdiction) has signed version \(record.version) or a later one already; sign the draft at the next version"
                )
            }
            reconciler.requestRecompute()
            return try JSONResponse.make(try await view(of: jurisdiction))
        }
    }

    /// The alliance member `code` names, or 404.
    private func member(_ code: String) async throws -> JurisdictionCode {
        let known = try await store.alliance().jurisdictions.map(\.code)
        guard let jurisdiction = known.first(where: { $0.rawValue == code }) else {
            throw APIError.notFound("jurisdiction", code)
        }
        return jurisdiction
    }

    private func view(of jurisdiction: JurisdictionCode) async throws -> JurisdictionRecordView {
        let signed = try await store.jurisdictionRecords()[jurisdiction]
        // Stored only after it verified; shown without the charter it was checked against then.
        let record = try signed.map { text in
            guard let record = JurisdictionRecordSignatures.claimed(text) else {
                throw APIError(
                    .internalServerError, code: "jurisdiction_record_corrupt",
                    message: "the stored record of \(jurisdiction) cannot be read; restore it from the state's copy")
            }
            return record
        }
        let draft = JurisdictionRecord.draft(
            of: jurisdiction, topology: try await store.topology(), custodians: try await store.custodians(),
            version: (record?.version ?? 0) + 1, at: CanonicalJSON.rounded(clock()))
        return JurisdictionRecordView(
            jurisdiction: jurisdiction, signed: signed, record: record, draft: draft,
            current: record?.recordsSameGround(as: draft) ?? false)
    }
}
