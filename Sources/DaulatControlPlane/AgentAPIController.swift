import DaulatCore
import DaulatPKI
import Foundation
import Hummingbird
import Metrics
import ServiceLifecycle

/// `/agent/v1` on the agent listener: what an enrolled agent asks of the control plane.
struct AgentAPIController<Store: DaulatStore>: Sendable {
    let store: Store
    let certificates: AgentCertificates<Store>
    let assignments: AssignmentBuilder<Store>
    let changes: AssignmentChanges
    let clock: @Sendable () -> Date

    /// How often a waiting request re-checks a host's assignments when nothing here signalled a
    /// change (changes made through another control plane, agents falling silent).
    static var recheckInterval: Duration { .seconds(2) }
    /// How long changes must pause before a waiting agent's set is rebuilt, and the longest a burst
    /// of changes holds it back.
    static var burstPause: Duration { .milliseconds(100) }
    static var burstLimit: Duration { .seconds(1) }

    /// An inventory of about two million objects; a larger store would report in several.
    static var largestInventory: Int { 64 << 20 }

    /// The longest an agent's request for new assignments is held open.
    static var longestWait: Int { 25 }

    func addRoutes(to group: RouterGroup<AgentRequestContext>) {
        group.post("heartbeat") { request, context in
            let agent = try context.requireAgent()
            let heartbeat = try await RequestBody.decode(Strict<AgentMessages.Heartbeat>.self, from: request).value
            guard heartbeat.capacityBytes >= 0, (0...heartbeat.capacityBytes).contains(heartbeat.freeBytes) else {
                throw APIError.invalidField(
                    "'freeBytes' must be from 0 to 'capacityBytes', and 'capacityBytes' not negative")
            }
            if let url = heartbeat.dataURL { try ListenerURL.check(url, field: "dataURL") }
            let now = CanonicalJSON.rounded(clock())
            try await store.recordHeartbeat(
                HostHeartbeat(
                    hostID: agent.hostID, at: now, capacityBytes: heartbeat.capacityBytes,
                    freeBytes: heartbeat.freeBytes,
                    dataURL: heartbeat.dataURL
                )
            )
            Counter(label: "daulat_agent_heartbeats_total").increment()
            return try JSONResponse.make(AgentMessages.HeartbeatReceipt(identity: agent.uri, receivedAt: now))
        }
        group.post("copies") { request, context in
            let agent = try context.requireAgent()
            let report = try await RequestBody.decode(Strict<AgentMessages.CopyReport>.self, from: request).value
            let ticket = try evidence(report.ticket, about: report.objectID)
            let copy: CopyEvidence
            switch ticket.operation {
            case .upload where ticket.hostID == agent.hostID:
                copy = .upload(ticket: ticket.nonce)
            case .download where ticket.recipientHostID == agent.hostID && ticket.hostID != agent.hostID:
                copy = .transfer(ticket: ticket.nonce, from: ticket.hostID)
            default:
                throw APIError(
                    .forbidden, code: "copy_unverified",
                    message:
                        "the ticket did not send object '\(report.objectID)' to this host; a copy counts only when it came through a ticket for it"
                )
            }
            defer { changes.signal() }
            try await store.recordCopy(
                objectID: ticket.objectID, sha256: ticket.sha256, sizeBytes: ticket.sizeBytes, hostID: agent.hostID,
                evidence: copy, at: CanonicalJSON.rounded(clock()), actor: "agent:\(agent.hostID)")
            // Copies stored by agents (uploads and replication alike), and their bytes.
            Counter(label: "daulat_copies_recorded_total").increment()
            Counter(label: "daulat_copied_bytes_total").increment(by: ticket.sizeBytes)
            return Response(status: .noContent)
        }
        group.post("transfers") { request, context in
            let agent = try context.requireAgent()
            let served = try await RequestBody.decode(Strict<AgentMessages.ServedTransfer>.self, from: request).value
            let ticket = try evidence(served.ticket, about: nil)
            guard ticket.operation == .download, ticket.hostID == agent.hostID, let recipient = ticket.recipientHostID
            else {
                throw APIError(
                    .forbidden, code: "ticket_wrong_kind",
                    message: "only a download ticket from this host to another host's agent is a transfer")
            }
            try await store.recordTransfer(
                ticket: ticket.nonce, objectID: ticket.objectID, sender: agent.hostID, recipient: recipient,
                at: CanonicalJSON.rounded(clock()))
            return Response(status: .noContent)
        }
        group.get("assignments") { request, context in
            let agent = try context.requireAgent()
            let after = request.uri.queryParameters["after"].map(String.init) ?? ""
            let wait = min(
                Self.longestWait,
                max(0, Int(request.uri.queryParameters["wait"].map(String.init) ?? "") ?? Self.longestWait))
            let deadline = ContinuousClock.now + .seconds(wait)
            // Held open until the host's assignments change or the wait is over: rebuilt at once when
            // this control plane signals a change, and every couple of seconds otherwise.
            while true {
                let seen = changes.current
                let built: AssignmentBuilder<Store>.Built
                do {
                    built = try await assignments.build(for: agent.hostID, at: CanonicalJSON.rounded(clock()))
                } catch is CancellationError {
                    // The control plane is stopping: the agent asks again, of this one or another.
                    throw APIError(
                        .serviceUnavailable, code: "shutting_down", message: "the control plane is shutting down")
                }
                // A control plane shutting down answers at once rather than hold its shutdown up (or fail
                // the request with a cancellation).
                let stopping = Task.isShuttingDownGracefully || Task.isCancelled
                if built.set.revision != after || ContinuousClock.now >= deadline || stopping {
                    return try JSONResponse.make(AgentMessages.SignedAssignments(signed: try assignments.sign(built)))
                }
                let recheck = min(deadline, ContinuousClock.now + Self.recheckInterval)
                while changes.current == seen && ContinuousClock.now < recheck && !Task.isShuttingDownGracefully {
                    // Cancelled, the loop ends and the set is answered as it is.
                    guard (try? await Task.sleep(for: .milliseconds(100))) != nil else { break }
                }
                // Changes come in bursts (an upload of many objects, a re-plan): the set is rebuilt once
                // they pause, or a second after the first, not once for each of them.
                let settled = min(deadline, ContinuousClock.now + Self.burstLimit)
                var last = changes.current
                while last != seen && ContinuousClock.now < settled && !Task.isShuttingDownGracefully {
                    guard (try? await Task.sleep(for: Self.burstPause)) != nil else { break }
                    if changes.current == last { break }
                    last = changes.current
                }
            }
        }
        group.post("releases") { request, context in
            let agent = try context.requireAgent()
            let release = try await RequestBody.decode(Strict<AgentMessages.Release>.self, from: request).value
            guard let object = try await store.object(id: release.objectID) else {
                throw APIError.notFound("object", release.objectID)
            }
            guard object.holders.contains(agent.hostID) else { return Response(status: .noContent) }
            let placed = try await store.placement(datasetID: object.datasetID)?.choices.map(\.hostID) ?? []
            let (now, actor) = (CanonicalJSON.rounded(clock()), "agent:\(agent.hostID)")
            defer { changes.signal() }
            // The agent deleted the blob before saying so: the record goes either way. A release the
            // control plane offered is a release (and may end an evacuation as met); one it did not
            // offer (placement changed meanwhile, or an agent acting on its own) is a lost copy, made
            // again where placement wants it, and never counts as an evacuation met.
            // A shredded dataset's copies are all offered, and a quarantined copy its home state decided to
            // destroy once another stays; those are read only when the rule says no.
            var offered = ReleaseRule.mayRelease(copyOn: agent.hostID, placedOn: placed, holders: object.holders)
            if !offered { offered = try await store.shreddingDatasets().contains(object.datasetID) }
            if !offered { offered = try await CondemnedCopies(store: store).mayRelease(object, on: agent.hostID) }
            if offered {
                try await store.releaseCopy(objectID: release.objectID, hostID: agent.hostID, at: now, actor: actor)
            } else {
                try await store.loseCopy(
                    objectID: release.objectID, hostID: agent.hostID, reason: "deleted by its agent without an offer",
                    at: now, actor: actor)
            }
            return Response(status: .noContent)
        }
        group.post("refusals") { request, context in
            let agent = try context.requireAgent()
            let refusal = try await RequestBody.decode(Strict<AgentMessages.Refusal>.self, from: request).value
            guard refusal.reason.count <= 1_000, refusal.objectID.count <= 200 else {
                throw APIError.invalidField("'reason' is at most 1000 characters and 'objectID' 200")
            }
            try await store.recordRefusal(
                hostID: agent.hostID, objectID: refusal.objectID, reason: refusal.reason,
                at: CanonicalJSON.rounded(clock()))
            return Response(status: .noContent)
        }
        group.post("inventory") { request, context in
            let agent = try context.requireAgent()
            let inventory = try await RequestBody.decode(
                Strict<AgentMessages.Inventory>.self, from: request, limit: Self.largestInventory
            ).value
            guard (inventory.objects + inventory.corrupt).allSatisfy(StoredObject.isValidID) else {
                throw APIError.invalidField(
                    "every entry of 'objects' and 'corrupt' must be an object id (obj- and 20 hex digits)")
            }
            guard inventory.legacy.allSatisfy(Hex.isSHA256) else {
                throw APIError.invalidField("every entry of 'legacy' must be 64 lowercase hex digits")
            }
            let receipt = try await store.reconcileInventory(
                hostID: agent.hostID, objects: Set(inventory.objects), corrupt: Set(inventory.corrupt),
                legacy: Set(inventory.legacy), at: CanonicalJSON.rounded(clock()))
            // Lost copies are to be made again: agents learn at once.
            if !receipt.lost.isEmpty { changes.signal() }
            return try JSONResponse.make(receipt)
        }
        group.post("renew") { request, context in
            let agent = try context.requireAgent()
            let renewal = try await RequestBody.decode(Strict<AgentMessages.Renewal>.self, from: request).value
            return try JSONResponse.make(try await certificates.renew(renewal, identity: agent, now: clock()))
        }
    }

    /// The ticket a copy or a transfer is reported with, if this control plane signed it (expired or not:
    /// it is evidence of what happened while it was valid) and it is about `objectID` when one is named.
    private func evidence(_ text: String, about objectID: String?) throws -> ObjectTicket {
        let ticket: ObjectTicket
        do {
            ticket = try SignedTicket.evidence(text, authority: try certificates.authority().certificate)
        } catch let error as TicketError {
            throw APIError(.forbidden, code: error.code, message: error.description)
        }
        if let objectID, ticket.objectID != objectID {
            throw APIError(
                .forbidden, code: "ticket_wrong_kind", message: "the ticket is for another object than '\(objectID)'")
        }
        return ticket
    }
}
