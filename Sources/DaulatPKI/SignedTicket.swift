import DaulatCore
import Foundation
import X509

/// Tickets: "host H may accept (or hand out) object O of dataset D until T".
public enum SignedTicket {
    static let purpose = "ticket"

    public static func sign(_ ticket: ObjectTicket, with authority: CertificateAuthority) throws -> String {
        try SignedDocument.sign(ticket, purpose: purpose, with: authority)
    }

    /// The ticket, if `text` was signed by `authority` and has not expired at `now`.
    public static func verify(_ text: String, authority: Certificate, now: Date = Date()) throws -> ObjectTicket {
        let ticket = try evidence(text, authority: authority)
        guard ticket.expiresAt > now else { throw TicketError.expired }
        return ticket
    }

    /// The ticket, if `text` was signed by `authority`, expired or not: a ticket that was used is
    /// evidence of how a copy came, however long its report took to arrive.
    public static func evidence(_ text: String, authority: Certificate) throws -> ObjectTicket {
        try SignedDocument.verify(text, as: ObjectTicket.self, purpose: purpose, authority: authority)
    }
}
