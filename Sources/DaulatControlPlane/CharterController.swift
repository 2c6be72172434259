import DaulatCore
import DaulatPKI
import Foundation
import Hummingbird

/// `/v1/alliance/charter`: the states' authority keys, signed by every founding state. Anyone with a
/// token reads it; an operator establishes it once, and only a charter every state it lists signed is
/// accepted, so the operator can carry the file but not write it.
struct CharterController<Store: DaulatStore>: Sendable {
    let store: Store
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.get("alliance/charter") { _, _ in
            guard let text = try await store.allianceCharter() else {
                throw APIError(
                    .notFound, code: "charter_not_established",
                    message: "no alliance charter is established yet (daulat alliance charter establish FILE)")
            }
            return try JSONResponse.make(try SignedCharter(text: text))
        }
        group.put("alliance/charter") { request, context in
            let caller = try context.requireOperator()
            let signed = try await RequestBody.decode(SignedCharter.self, from: request)
            let charter: AllianceCharter
            do {
                charter = try SignedCharter(text: try signed.text).verified()
            } catch let error as CharterError {
                throw APIError(.unprocessableContent, code: error.code, message: error.description)
            }
            let known = Set(try await store.alliance().jurisdictions.map(\.code))
            if let stranger = charter.authorities.first(where: { !known.contains($0.jurisdiction) }) {
                throw APIError(
                    .unprocessableContent, code: "unknown_jurisdiction",
                    message:
                        "the charter names \(stranger.jurisdiction.rawValue), which is not a jurisdiction of this alliance"
                )
            }
            let text = try signed.text
            let existing = try await store.allianceCharter()
            guard existing == nil || existing == text else {
                throw APIError(
                    .conflict, code: "charter_established",
                    message: "a different charter is established; it changes only by a ceremony its states sign")
            }
            let stored = try await store.establishAllianceCharter(
                text, at: CanonicalJSON.rounded(clock()), actor: caller.auditActor)
            guard stored == text else {
                throw APIError(
                    .conflict, code: "charter_established",
                    message: "a different charter was established meanwhile")
            }
            return try JSONResponse.make(signed, status: existing == nil ? .created : .ok)
        }
    }
}
