import DaulatCore
import DaulatPKI
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import Synchronization
import X509

/// The agent's object server, over TLS with the agent's own certificate: data owners (and, later,
/// peers) put and get objects, each request carrying a ticket the control plane signed for this host.
/// An upload is stored only whole and with the hash the ticket names, then reported to the control
/// plane; an upload ticket works once.
final class AgentDataServer: Sendable {
    let blobs: BlobStore
    let state: AgentState
    let logger: Logger
    private let usedUploadTickets = Mutex<[String: Date]>([:])

    init(blobs: BlobStore, state: AgentState, logger: Logger) {
        self.blobs = blobs
        self.state = state
        self.logger = logger
    }

    func application(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void) throws
        -> some ApplicationProtocol
    {
        let router = Router(context: AgentDataRequestContext.self)
        router.add(middleware: AgentErrorMiddleware())
        router.put("objects/:sha256") { request, context in try await self.put(request, context: context) }
        router.get("objects/:sha256") { request, context in try await self.get(request, context: context) }
        return Application(
            router: router,
            server: try .tls(tlsConfiguration: state.session.serverConfiguration()),
            configuration: .init(address: .hostname(host, port: port), serverName: "daulat-agent"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    private func put(_ request: Request, context: AgentDataRequestContext) async throws -> Response {
        let ticket = try verifiedTicket(request, context: context, operation: .upload)
        try claim(ticket)
        do {
            try await blobs.store(request.body, sha256: ticket.sha256, sizeBytes: ticket.sizeBytes)
        } catch {
            // Nothing was stored: the client may try again with the same ticket.
            usedUploadTickets.withLock { _ = $0.removeValue(forKey: ticket.nonce) }
            throw error
        }
        let copy = AgentMessages.StoredCopy(
            objectID: ticket.objectID, sha256: ticket.sha256, sizeBytes: ticket.sizeBytes)
        defer { state.noteBlobChange() }
        do {
            try await state.connection.report(copy)
        } catch {
            // Kept on disk; the inventory the agent reports will record it. The client may retry.
            throw AgentRequestError(
                status: .serviceUnavailable, code: "report_failed",
                message: "stored, but the control plane did not record it yet: \(error)")
        }
        logger.info(
            "object stored", metadata: ["daulat.object": "\(ticket.objectID)", "daulat.dataset": "\(ticket.datasetID)"])
        return try JSONReply.json(copy, status: .created)
    }

    private func get(_ request: Request, context: AgentDataRequestContext) async throws -> Response {
        let ticket = try verifiedTicket(request, context: context, operation: .download)
        let size = try blobs.size(of: ticket.sha256)
        let chunks = try blobs.read(ticket.sha256)
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.contentLength] = "\(size)"
        let eventLoop = context.eventLoop
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                for try await chunk in chunks {
                    try await writer.write(chunk)
                    // A write is handed to the connection's event loop and returns at once; the loop
                    // learns only when it gets to it whether the socket can take more. Waiting for the
                    // loop to run a task queued after it lets the next write wait while the socket is
                    // full, instead of reading the whole blob into memory ahead of a slower socket.
                    try await eventLoop.submit {}.get()
                }
                try await writer.finish(nil)
            })
    }

    /// The ticket in `Authorization: Ticket …`, signed by the control plane, for this host, this object
    /// and this operation, and unexpired.
    private func verifiedTicket(_ request: Request, context: AgentDataRequestContext, operation: ObjectTicket.Operation)
        throws -> ObjectTicket
    {
        guard let header = request.headers[.authorization], header.hasPrefix("Ticket ") else {
            throw AgentRequestError(
                status: .unauthorized, code: "ticket_required",
                message: "a ticket from the control plane is required (Authorization: Ticket …)")
        }
        let credentials = state.credentials
        let ticket: ObjectTicket
        do {
            ticket = try SignedTicket.verify(
                String(header.dropFirst("Ticket ".count)),
                authority: try Certificate(pemEncoded: credentials.authorityPEM))
        } catch let error as TicketError {
            throw AgentRequestError(status: .forbidden, code: error.code, message: error.description)
        }
        guard ticket.hostID == credentials.identity?.hostID else {
            throw AgentRequestError(
                status: .forbidden, code: TicketError.wrongHost.code, message: TicketError.wrongHost.description)
        }
        guard ticket.operation == operation, ticket.sha256 == context.parameters.get("sha256") else {
            throw AgentRequestError(
                status: .forbidden, code: TicketError.wrongKind.code, message: TicketError.wrongKind.description)
        }
        return ticket
    }

    /// Marks an upload ticket used; a second use is refused until long after it has expired anyway (or
    /// until the upload that claimed it fails, storing nothing).
    private func claim(_ ticket: ObjectTicket) throws {
        let now = Date()
        let fresh = usedUploadTickets.withLock { used in
            used = used.filter { $0.value > now }
            guard used[ticket.nonce] == nil else { return false }
            used[ticket.nonce] = ticket.expiresAt
            return true
        }
        guard fresh else {
            throw AgentRequestError(
                status: .forbidden, code: TicketError.replayed.code, message: TicketError.replayed.description)
        }
    }
}
