import Crypto
import DaulatCore
import DaulatCrypto
import DaulatFiles
import DaulatPKI
import Foundation
import X509

/// What a custodian does with an unwrap request: checks the control plane's signed decision (its
/// signature, its time, that it covers this key and this custodian's jurisdiction, that it was not used
/// before), the owner state's consent inside it (against the charter this custodian pinned, not
/// anything the control plane says) and that the rules and the agreements the states signed allow
/// processing where it asks and keys here (``PublishedPolicy``), records the decision as used, and re-wraps its share to the
/// requester's one-time key. The share is never in the clear outside the keystore.
public struct ShareRelease: Sendable {
    public let keystore: any Keystore
    public let ledger: SingleUseLedger
    /// The alliance's certificate authority, which signs decisions.
    public let authority: Certificate
    /// The states' keys, pinned from the charter file its own state gave it.
    public let consents: ConsentVerifier
    /// The rules and signed agreements, as the last heartbeat brought them.
    public let policy: PublishedPolicy
    public let jurisdiction: JurisdictionCode
    /// This custodian, as its certificate names it: its state's signed record must list it.
    public let custodianID: String
    /// How far a decision's issue time may be ahead of this custodian's clock.
    public static let clockSkew: TimeInterval = 60
    /// The longest a decision may be good for: a narrowed policy must take effect within it.
    public static let longestDecision: TimeInterval = 600

    public init(
        keystore: any Keystore, ledger: SingleUseLedger, authority: Certificate, policy: PublishedPolicy,
        jurisdiction: JurisdictionCode, custodianID: String
    ) {
        self.keystore = keystore
        self.ledger = ledger
        self.authority = authority
        self.consents = ConsentVerifier(charter: policy.charter)
        self.policy = policy
        self.jurisdiction = jurisdiction
        self.custodianID = custodianID
    }

    public func release(_ wrapped: WrappedKey, context: WrapContext, decision signed: String, now: Date = Date())
        async throws -> (decision: UnwrapDecision, share: WrappedKey, consent: UnwrapConsent)
    {
        let decision: UnwrapDecision
        do {
            decision = try SignedDocument.verify(
                signed, as: UnwrapDecision.self, purpose: UnwrapDecision.signaturePurpose, authority: authority)
        } catch {
            // Said of a decision, not in the words for the tickets that share its signing.
            throw CustodianError.decisionInvalid(
                error as? TicketError == .badSignature ? "its signature does not verify" : "it cannot be read")
        }
        guard decision.issuedAt < decision.expiresAt,
            decision.expiresAt.timeIntervalSince(decision.issuedAt) <= Self.longestDecision
        else {
            throw CustodianError.decisionInvalid("it is good for more than \(Int(Self.longestDecision)) seconds")
        }
        guard decision.issuedAt.addingTimeInterval(-Self.clockSkew) <= now, now < decision.expiresAt else {
            throw CustodianError.decisionExpired(id: decision.id)
        }
        guard context.objectID == decision.request.objectID, context.keyID == decision.keyID else {
            throw CustodianError.decisionMismatch(
                "it is for key \(decision.keyID) of object \(decision.request.objectID), not \(context.keyID) of \(context.objectID)"
            )
        }
        // Keys are kept per dataset: the share must be wrapped to this dataset's key.
        guard KeyVersionID(wrapped.recipientKeyID)?.scope == decision.request.datasetID else {
            throw CustodianError.decisionMismatch(
                "it is for dataset \(decision.request.datasetID), the share is wrapped to \(wrapped.recipientKeyID)")
        }
        guard decision.keyJurisdictions.contains(jurisdiction) else {
            throw CustodianError.notThisJurisdiction(jurisdiction)
        }
        let consent: UnwrapConsent
        do {
            consent = try consents.verify(
                decision.consent, certificate: decision.memberCertificate, ownerAgency: decision.ownerAgency,
                home: decision.home, at: now)
        } catch {
            throw CustodianError.consentRefused(error)
        }
        guard consent.request == decision.request, consent.requesterKey == decision.requesterKey else {
            throw CustodianError.consentRefused(
                .mismatch("the decision is for another request or requester key than the owner signed"))
        }
        try policy.check(decision, custodian: custodianID, in: jurisdiction, at: now)
        guard let keyBytes = Data(base64Encoded: decision.requesterKey),
            let requesterKey = try? P256.KeyAgreement.PublicKey(x963Representation: keyBytes)
        else {
            throw CustodianError.decisionInvalid("its requester key is not a P-256 public key")
        }
        // Re-wrapped first, so a share that does not open (a typo, a forgery) does not spend the
        // decision; released only once the ledger holds the decision as used.
        let share = try await keystore.rewrap(
            wrapped, context: context, to: requesterKey, recipientKeyID: "requester/\(decision.id)")
        let unused: Bool
        do {
            unused = try ledger.claim(decision.id, expiresAt: decision.expiresAt)
        } catch {
            throw KeystoreError.storage("the decision ledger could not be written: \(error)")
        }
        guard unused else { throw CustodianError.decisionReplayed(decision.id) }
        return (decision, share, consent)
    }
}
