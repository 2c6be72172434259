import Crypto
import DaulatCore
import Foundation
import X509

/// A short statement by the control plane — "host H may accept object O of dataset D until T" —
/// signed with the certificate authority's key, so any agent can check it with the authority's
/// certificate it already holds, without asking the control plane. The text form is
/// `base64url(canonical JSON).base64url(ECDSA P-256 signature)`; the signature covers a context
/// string as well, so a signature made for anything else never verifies as a ticket.
public enum SignedTicket {
    static let context = Data("daulat ticket v1\n".utf8)

    public static func sign(_ ticket: ObjectTicket, with authority: CertificateAuthority) throws -> String {
        let payload = try CanonicalJSON.encoder().encode(ticket)
        let signature = try authority.sign(context + payload)
        return base64URL(payload) + "." + base64URL(signature)
    }

    /// The ticket, if `text` was signed by `authority` and has not expired at `now`.
    public static func verify(_ text: String, authority: Certificate, now: Date = Date()) throws -> ObjectTicket {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = data(base64URL: parts[0]), let signature = data(base64URL: parts[1])
        else {
            throw TicketError.malformed
        }
        guard case .some(let key) = P256.Signing.PublicKey(authority.publicKey),
            let ecdsa = try? P256.Signing.ECDSASignature(derRepresentation: signature),
            key.isValidSignature(ecdsa, for: context + payload)
        else {
            throw TicketError.badSignature
        }
        let ticket = try CanonicalJSON.decoder().decode(ObjectTicket.self, from: payload)
        guard ticket.expiresAt > now else { throw TicketError.expired }
        return ticket
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(base64URL text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}

/// Why a ticket was refused.
public enum TicketError: String, Error, Sendable, CustomStringConvertible {
    case malformed = "ticket_malformed"
    case badSignature = "ticket_signature_invalid"
    case expired = "ticket_expired"
    case wrongHost = "ticket_for_another_host"
    case wrongKind = "ticket_wrong_kind"
    case replayed = "ticket_replayed"

    public var code: String { rawValue }

    public var description: String {
        switch self {
        case .malformed: "the ticket is not one the control plane writes"
        case .badSignature: "the ticket is not signed by this alliance's control plane"
        case .expired: "the ticket has expired; ask the control plane for a new one"
        case .wrongHost: "the ticket is for another host"
        case .wrongKind: "the ticket does not allow this operation"
        case .replayed: "the ticket has already been used"
        }
    }
}
