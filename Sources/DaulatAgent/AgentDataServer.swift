import DaulatCore
import DaulatFiles
import DaulatPKI
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import X509

/// The agent's object server, over TLS with the agent's own certificate: data owners and other agents
/// put and get objects, each request carrying a ticket the control plane signed for this host and that
/// object. An upload is stored only whole, with the hash the ticket names and where the ticket says the
/// dataset may be stored, then reported to the control plane with its ticket; an upload ticket works
/// once, across restarts too. A copy sent to another agent is reported as sent before it ends, so that
/// the receiver's report of it can be checked against it.
final class AgentDataServer: Sendable {
    let blobs: BlobStore
    /// Upload tickets used, by nonce.
    let uploads: SingleUseLedger
    let state: AgentState
    let logger: Logger

    init(blobs: BlobStore, uploads: SingleUseLedger, state: AgentState, logger: Logger) {
        self.blobs = blobs
        self.uploads = uploads
        self.state = state
        self.logger = logger
    }

    func application(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void) throws
        -> some ApplicationProtocol
    {
        let router = Router(context: AgentDataRequestContext.self)
        router.add(middleware: AgentErrorMiddleware())
        router.put("objects/:objectID") { request, context in try await self.put(request, context: context) }
        router.get("objects/:objectID") { request, context in try await self.get(request, context: context) }
        return Application(
            router: router,
            server: try .tls(tlsConfiguration: state.session.serverConfiguration()),
            configuration: .init(address: .hostname(host, port: port), serverName: "daulat-agent"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    private func put(_ request: Request, context: AgentDataRequestContext) async throws -> Response {
        let (ticket, signed) = try verifiedTicket(request, context: context, operation: .upload)
        try checkStorage(ticket)
        guard let name = BlobName(objectID: ticket.objectID, sha256: ticket.sha256) else { throw BlobError.badName }
        guard try uploads.claim(ticket.nonce, expiresAt: ticket.expiresAt) else {
            throw AgentRequestError(
                status: .forbidden, code: TicketError.replayed.code, message: TicketError.replayed.description)
        }
        do {
            try await blobs.store(request.body, as: name, sizeBytes: ticket.sizeBytes)
        } catch {
            // Nothing was stored: the client may try again with the same ticket.
            try? uploads.unclaim(ticket.nonce)
            throw error
        }
        defer { state.noteBlobChange() }
        do {
            try await state.connection.report(AgentMessages.CopyReport(objectID: ticket.objectID, ticket: signed))
        } catch {
            // Not acknowledged, so not kept: a copy the control plane never recorded would be no copy it
            // counts. The client may try again with the same ticket.
            try? blobs.remove(name)
            try? uploads.unclaim(ticket.nonce)
            throw AgentRequestError(
                status: .serviceUnavailable, code: "report_failed",
                message: "the control plane did not record the copy, so it was not kept; try again: \(error)")
        }
        logger.info(
            "object stored", metadata: ["daulat.object": "\(ticket.objectID)", "daulat.dataset": "\(ticket.datasetID)"])
        return try JSONReply.json(
            AgentMessages.StoredCopy(objectID: ticket.objectID, sha256: ticket.sha256, sizeBytes: ticket.sizeBytes),
            status: .created)
    }

    /// Refuses an upload to a host standing where the ticket says the dataset may not be stored, or
    /// where the rules and the agreements the states signed do not allow it: the agent's own check,
    /// whatever the control plane decided.
    private func checkStorage(_ ticket: ObjectTicket) throws {
        let standing: HostStanding
        do {
            guard let known = try state.standing() else {
                throw AgentRequestError(
                    status: .serviceUnavailable, code: "agent_not_ready",
                    message: "the agent does not know yet where it stands; try again shortly")
            }
            standing = known
        } catch let error as DomainError {
            throw AgentRequestError(status: .forbidden, code: "storage_not_allowed", message: error.message)
        }
        let jurisdiction = standing.jurisdiction
        guard let allowed = ticket.allowedStorage, allowed.contains(jurisdiction) else {
            let listed = (ticket.allowedStorage ?? []).map(\.rawValue).joined(separator: ", ")
            throw AgentRequestError(
                status: .forbidden, code: "storage_not_allowed",
                message:
                    "dataset \(ticket.datasetID) may be stored in \(listed.isEmpty ? "no jurisdiction" : listed), and this host stands in \(jurisdiction.rawValue)"
            )
        }
        guard let home = ticket.home, let classification = ticket.classification else {
            throw AgentRequestError(
                status: .forbidden, code: "storage_not_allowed",
                message: "the upload ticket names no home or classification to check the signed rules with")
        }
        if let refusal = state.signedRulesRefusal(home: home, classification: classification, standing: standing) {
            throw AgentRequestError(
                status: .forbidden, code: "storage_not_allowed", message: "dataset \(ticket.datasetID): \(refusal)")
        }
    }

    private func get(_ request: Request, context: AgentDataRequestContext) async throws -> Response {
        let (ticket, signed) = try verifiedTicket(request, context: context, operation: .download)
        guard let name = BlobName(objectID: ticket.objectID, sha256: ticket.sha256) else { throw BlobError.badName }
        let size = try blobs.size(of: name)
        let chunks = try blobs.read(name)
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.contentLength] = "\(size)"
        let eventLoop = context.eventLoop
        let connection = state.connection
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                // A copy for another agent is said to be sent before its last chunk goes: the receiver
                // reports the copy only once it has every byte, and then finds the transfer recorded. If it
                // cannot be said, the response breaks off short and the receiver keeps nothing.
                let toAgent = ticket.recipientHostID != nil
                var held: ByteBuffer?
                for try await chunk in chunks {
                    if toAgent {
                        if let previous = held { try await writer.write(previous) }
                        held = chunk
                    } else {
                        try await writer.write(chunk)
                    }
                    // A write is handed to the connection's event loop and returns at once; the loop
                    // learns only when it gets to it whether the socket can take more. Waiting for the
                    // loop to run a task queued after it lets the next write wait while the socket is
                    // full, instead of reading the whole blob into memory ahead of a slower socket.
                    try await eventLoop.submit {}.get()
                }
                if toAgent {
                    try await connection.served(AgentMessages.ServedTransfer(ticket: signed))
                    if let last = held { try await writer.write(last) }
                }
                try await writer.finish(nil)
            })
    }

    /// The ticket in `Authorization: Ticket …` (and its signed text), signed by the control plane, for
    /// this host, the object in the path and this operation, and unexpired.
    private func verifiedTicket(_ request: Request, context: AgentDataRequestContext, operation: ObjectTicket.Operation)
        throws -> (ticket: ObjectTicket, signed: String)
    {
        guard let header = request.headers[.authorization], header.hasPrefix("Ticket ") else {
            throw AgentRequestError(
                status: .unauthorized, code: "ticket_required",
                message: "a ticket from the control plane is required (Authorization: Ticket …)")
        }
        let credentials = state.credentials
        let signed = String(header.dropFirst("Ticket ".count))
        let ticket: ObjectTicket
        do {
            ticket = try SignedTicket.verify(signed, authority: try Certificate(pemEncoded: credentials.authorityPEM))
        } catch let error as TicketError {
            throw AgentRequestError(status: .forbidden, code: error.code, message: error.description)
        }
        guard ticket.hostID == credentials.identity?.hostID else {
            throw AgentRequestError(
                status: .forbidden, code: TicketError.wrongHost.code, message: TicketError.wrongHost.description)
        }
        guard ticket.operation == operation, ticket.objectID == context.parameters.get("objectID") else {
            throw AgentRequestError(
                status: .forbidden, code: TicketError.wrongKind.code, message: TicketError.wrongKind.description)
        }
        // A ticket issued to a host before it was revoked may still be in its hands, with a certificate
        // that has not expired: the copy is not sent.
        if let recipient = ticket.recipientHostID, let revokedAt = state.revocation(of: recipient),
            ticket.expiresAt.addingTimeInterval(-ObjectTicket.lifetime) <= revokedAt
        {
            throw AgentRequestError(
                status: .forbidden, code: "recipient_revoked",
                message:
                    "host '\(recipient)' was revoked at \(CanonicalJSON.format(revokedAt)); this ticket was issued to it before"
            )
        }
        return (ticket, signed)
    }
}
