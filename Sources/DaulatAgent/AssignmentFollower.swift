import DaulatCore
import DaulatPKI
import Foundation
import Logging
import X509

/// Follows the host's assignments: waits for each new signed set, checks the signature, the host and
/// every assignment against the jurisdiction the agent stands in, copies what it lacks from a holder,
/// and reports what it stores. It refuses, and reports, anything that would put a copy where the
/// dataset may not be, even when the control plane asks.
struct AssignmentFollower: Sendable {
    let state: AgentState
    let blobs: BlobStore
    /// The jurisdiction the operator declared for this host; when absent, the one the control plane
    /// states in the signed set is used.
    let declaredJurisdiction: JurisdictionCode?
    let logger: Logger

    func run() async throws {
        var revision = ""
        var reported = Set<String>()
        // Refusals already reported, by object and reason: each is audited once, not with every new set.
        var refused = Set<String>()
        while !Task.isCancelled {
            do {
                let credentials = state.credentials
                let text = try await state.connection.assignments(after: revision)
                let set = try SignedDocument.verify(
                    text, as: AssignmentSet.self, purpose: AssignmentSet.signaturePurpose,
                    authority: try Certificate(pemEncoded: credentials.authorityPEM))
                guard set.hostID == credentials.identity?.hostID else {
                    throw AgentError(message: "assignments for host '\(set.hostID)' were sent to this agent; ignored")
                }
                revision = set.revision
                try await carryOut(set, reported: &reported, refused: &refused)
            } catch  where Task.isCancelled || error is CancellationError {
                return
            } catch {
                logger.warning("following assignments failed; will retry", metadata: ["daulat.error": "\(error)"])
                revision = ""
                guard (try? await Task.sleep(for: .seconds(2))) != nil else { return }
            }
        }
    }

    private func carryOut(_ set: AssignmentSet, reported: inout Set<String>, refused: inout Set<String>) async throws {
        // Released only once the control plane has confirmed copies on every placed host; a blob
        // still assigned under another object of the same content stays.
        let kept = Set(set.assignments.map(\.sha256))
        for release in set.releases {
            if !kept.contains(release.sha256) { try blobs.remove(release.sha256) }
            try await state.connection.released(AgentMessages.Release(objectID: release.id))
            state.noteBlobChange()
            reported.remove(release.id)
            logger.info(
                "copy released", metadata: ["daulat.object": "\(release.id)", "daulat.dataset": "\(release.datasetID)"])
        }
        let jurisdiction = declaredJurisdiction ?? set.jurisdiction
        // One client for the whole set: copying many small objects costs one TLS handshake per holder,
        // not one per object.
        try await ObjectClient.withClient(trusting: state.credentials.authorityPEM) { client in
            for assignment in set.assignments {
                if let reason = refusal(of: assignment, in: jurisdiction, controlPlaneSays: set.jurisdiction) {
                    guard refused.insert("\(assignment.objectID) \(reason)").inserted else { continue }
                    logger.error(
                        "assignment refused",
                        metadata: ["daulat.object": "\(assignment.objectID)", "daulat.reason": "\(reason)"])
                    try await state.connection.refuse(
                        AgentMessages.Refusal(objectID: assignment.objectID, reason: reason))
                    continue
                }
                if !blobs.contains(assignment.sha256) {
                    // No holder is reporting yet: the next set will name one.
                    guard let url = assignment.sourceURL, let ticket = assignment.sourceTicket else { continue }
                    do {
                        let response = try await ObjectClient.get(url, ticket: ticket, client: client)
                        try await blobs.store(response.body, sha256: assignment.sha256, sizeBytes: assignment.sizeBytes)
                    } catch {
                        logger.warning(
                            "copy failed; will retry",
                            metadata: ["daulat.object": "\(assignment.objectID)", "daulat.error": "\(error)"])
                        continue
                    }
                    logger.info(
                        "object copied",
                        metadata: [
                            "daulat.object": "\(assignment.objectID)", "daulat.dataset": "\(assignment.datasetID)",
                        ])
                }
                if assignment.sourceURL != nil || !reported.contains(assignment.objectID) {
                    try await state.connection.report(
                        AgentMessages.StoredCopy(
                            objectID: assignment.objectID, sha256: assignment.sha256, sizeBytes: assignment.sizeBytes))
                    state.noteBlobChange()
                    reported.insert(assignment.objectID)
                }
            }
        }
    }

    /// Why this agent must not hold the object, or nil if it may.
    private func refusal(
        of assignment: Assignment, in jurisdiction: JurisdictionCode, controlPlaneSays stated: JurisdictionCode
    ) -> String? {
        if jurisdiction != stated {
            return "this host stands in \(jurisdiction.rawValue), but the control plane places it in \(stated.rawValue)"
        }
        if !assignment.allowedStorage.contains(jurisdiction) {
            let allowed = assignment.allowedStorage.map(\.rawValue).joined(separator: ", ")
            return
                "dataset \(assignment.datasetID) may be stored in \(allowed.isEmpty ? "no jurisdiction" : allowed), not in \(jurisdiction.rawValue)"
        }
        return nil
    }
}
