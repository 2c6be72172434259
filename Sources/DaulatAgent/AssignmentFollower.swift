import AsyncHTTPClient
import DaulatCore
import DaulatPKI
import Foundation
import Logging
import X509

/// Follows the host's assignments: waits for each new signed set, checks the signature, the host and
/// every assignment against the jurisdiction the agent stands in, copies what the control plane does
/// not count it as holding from a holder, with the ticket the set carries, and reports each copy with
/// that ticket. It refuses, and reports, anything that would put a copy where the dataset may not be,
/// even when the control plane asks: by the set's own allowance, and by the rules and the agreements
/// in force by their parties' signatures under the charter this agent pinned.
struct AssignmentFollower: Sendable {
    let state: AgentState
    let blobs: BlobStore
    let logger: Logger

    func run() async throws {
        var revision = ""
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
                for line in try state.notePolicy(set.policy) {
                    logger.warning("rules rolled back by the control plane; kept", metadata: ["daulat.kept": "\(line)"])
                }
                state.noteRevokedHosts(set.revokedHosts)
                try await carryOut(set, refused: &refused)
            } catch  where Task.isCancelled || error is CancellationError {
                return
            } catch {
                logger.warning("following assignments failed; will retry", metadata: ["daulat.error": "\(error)"])
                revision = ""
                guard (try? await Task.sleep(for: .seconds(2))) != nil else { return }
            }
        }
    }

    private func carryOut(_ set: AssignmentSet, refused: inout Set<String>) async throws {
        // Released only once the control plane has confirmed copies on every placed host. A copy is its
        // object's alone, so deleting it touches no other object, whatever bytes they share.
        try await ConcurrentWork.forEach(set.releases, width: Self.width) { release in
            if let name = BlobName(objectID: release.id, sha256: release.sha256) { try blobs.remove(name) }
            try await state.connection.released(AgentMessages.Release(objectID: release.id))
            state.noteBlobChange()
            logger.info(
                "copy released", metadata: ["daulat.object": "\(release.id)", "daulat.dataset": "\(release.datasetID)"])
        }
        let authority = try Certificate(pemEncoded: state.credentials.authorityPEM)
        var fetches: [(assignment: Assignment, source: PeerAddress)] = []
        for assignment in set.assignments {
            if let reason = refusal(of: assignment, controlPlaneSays: set.jurisdiction) {
                guard refused.insert("\(assignment.objectID) \(reason)").inserted else { continue }
                logger.error(
                    "assignment refused",
                    metadata: ["daulat.object": "\(assignment.objectID)", "daulat.reason": "\(reason)"])
                try await state.connection.refuse(AgentMessages.Refusal(objectID: assignment.objectID, reason: reason))
                continue
            }
            // A source is named only while the control plane does not count a copy here: one held
            // without evidence (found on disk, say) is copied again through the ticket, which is the
            // evidence. No holder reporting yet: the next set will name one.
            // The holder is the host the signed ticket names: the one whose certificate must answer.
            guard let url = assignment.sourceURL, let ticket = assignment.sourceTicket,
                let name = assignment.sourcePeerName
            else { continue }
            do {
                let holder = try SignedTicket.verify(ticket, authority: authority).hostID
                fetches.append((assignment, try PeerAddress.host(holder, named: name, url: url)))
            } catch {
                logger.warning(
                    "copy skipped: its ticket or source is unusable",
                    metadata: ["daulat.object": "\(assignment.objectID)", "daulat.error": "\(error)"])
            }
        }
        // One client for the whole set: copying many small objects costs one TLS handshake per holder
        // and connection, not one per object.
        try await ObjectClient.withClient(trusting: state.credentials.authorityPEM, peers: fetches.map(\.source)) {
            client in
            try await ConcurrentWork.forEach(fetches, width: Self.width) { fetch in
                try await self.fetch(fetch.assignment, from: fetch.source, client: client)
            }
        }
    }

    /// How many copies, or releases, an agent works on at once.
    static var width: Int { 2 }

    /// Copies one object from the holder the set names, with the set's ticket, and reports the copy
    /// with that ticket. A failed copy is retried with a later set.
    private func fetch(_ assignment: Assignment, from source: PeerAddress, client: HTTPClient) async throws {
        guard let ticket = assignment.sourceTicket,
            let name = BlobName(objectID: assignment.objectID, sha256: assignment.sha256)
        else { return }
        do {
            let response = try await ObjectClient.get(source.url(), ticket: ticket, client: client)
            try await blobs.store(response.body, as: name, sizeBytes: assignment.sizeBytes)
        } catch {
            logger.warning(
                "copy failed; will retry",
                metadata: ["daulat.object": "\(assignment.objectID)", "daulat.error": "\(error)"])
            return
        }
        logger.info(
            "object copied",
            metadata: ["daulat.object": "\(assignment.objectID)", "daulat.dataset": "\(assignment.datasetID)"])
        try await state.connection.report(AgentMessages.CopyReport(objectID: assignment.objectID, ticket: ticket))
        state.noteBlobChange()
    }

    /// Why this agent must not hold the object, or nil if it may: where the states' signed records place
    /// the host decides, and the control plane's word on it must agree.
    private func refusal(of assignment: Assignment, controlPlaneSays stated: JurisdictionCode) -> String? {
        let standing: HostStanding
        do {
            guard let known = try state.standing() else { return "the alliance's rules have not arrived yet" }
            standing = known
        } catch {
            return error.message
        }
        let jurisdiction = standing.jurisdiction
        if jurisdiction != stated {
            return
                "this host stands in \(jurisdiction.rawValue) by the record its state signed, but the control plane places it in \(stated.rawValue)"
        }
        if !assignment.allowedStorage.contains(jurisdiction) {
            let allowed = assignment.allowedStorage.map(\.rawValue).joined(separator: ", ")
            return
                "dataset \(assignment.datasetID) may be stored in \(allowed.isEmpty ? "no jurisdiction" : allowed), not in \(jurisdiction.rawValue)"
        }
        return state.signedRulesRefusal(
            home: assignment.home, classification: assignment.classification, standing: standing
        ).map { "dataset \(assignment.datasetID): \($0)" }
    }
}
