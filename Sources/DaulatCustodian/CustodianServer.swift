import Crypto
import DaulatAgent
import DaulatCore
import DaulatCrypto
import DaulatPKI
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOFoundationCompat
import NIOSSL
import X509

/// The custodian's own HTTPS listener, presenting its enrolled certificate: clients get its public key
/// for a dataset (against a signed grant) and its share of an object's key (against a signed unwrap
/// decision, re-wrapped to their one-time key). Every release and every refusal is logged with the
/// decision's justification.
struct CustodianServer: Sendable {
    let custodianID: String
    /// Signs the dataset keys it hands out (see ``CustodianIdentityKey``).
    let identityKey: StateSigningKey
    let release: ShareRelease
    let session: EnrolledSession
    let logger: Logger

    /// Requests are a few kilobytes: a signed document and a wrapped key.
    static var largestRequest: Int { 64 << 10 }

    func application(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void) throws
        -> some ApplicationProtocol
    {
        let router = Router()
        router.add(middleware: CustodianErrorMiddleware())
        router.post("v1/keys") { request, _ in try await publicKey(request) }
        router.post("v1/unwrap") { request, _ in try await unwrap(request) }
        return Application(
            router: router,
            server: try .tls(tlsConfiguration: session.serverConfiguration()),
            configuration: .init(address: .hostname(host, port: port), serverName: "daulat-custodian"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    private func publicKey(_ request: Request) async throws -> Response {
        let body = try await Self.decode(CustodianMessages.KeyRequest.self, from: request)
        let grant: KeyGrant
        do {
            grant = try SignedDocument.verify(
                body.grant, as: KeyGrant.self, purpose: KeyGrant.signaturePurpose, authority: release.authority)
        } catch {
            throw CustodianRequestError(
                .forbidden, code: "grant_invalid", "the key grant is not one the control plane signed")
        }
        let now = Date()
        guard grant.issuedAt.addingTimeInterval(-ShareRelease.clockSkew) <= now, now < grant.expiresAt else {
            throw CustodianRequestError(
                .forbidden, code: "grant_expired", "the key grant has expired; ask for a new one")
        }
        guard grant.custodianIDs.contains(custodianID) else {
            throw CustodianRequestError(
                .forbidden, code: "grant_not_for_this_custodian",
                "the key grant does not name custodian '\(custodianID)'")
        }
        let key = try await release.keystore.currentKey(scope: grant.datasetID)
        let publicKey = key.publicKey.x963Representation.base64EncodedString()
        return try JSONReply.json(
            CustodianMessages.PublicKey(
                keyID: key.id, publicKey: publicKey,
                signature: try CustodianKeyProof.sign(
                    datasetID: grant.datasetID, keyID: key.id, publicKey: publicKey, with: identityKey)),
            status: .ok)
    }

    private func unwrap(_ request: Request) async throws -> Response {
        let body = try await Self.decode(CustodianMessages.ShareRequest.self, from: request)
        let key = body.key
        guard let wrapped = key.wrappedKey, let context = try? key.wrapContext(objectID: body.objectID) else {
            throw CustodianRequestError(
                .badRequest, code: "wrapped_key_invalid",
                "the wrapped key is not base64 HPKE parts with a share index, for identifiers of 1 to 255 bytes")
        }
        do {
            let (decision, share, consent) = try await release.release(
                wrapped, context: context, decision: body.decision)
            try await record(decision, signed: body.decision, keyID: key.keyID, consentedBy: consent.signer)
            logger.notice(
                "share released",
                metadata: [
                    "daulat.decision": "\(decision.id)", "daulat.object": "\(decision.request.objectID)",
                    "daulat.justification": "\(decision.request.justification.rawValue)",
                    "daulat.requester": "\(decision.requester)",
                    "daulat.processing_in": "\(decision.request.jurisdiction.rawValue)",
                ])
            return try JSONReply.json(
                CustodianMessages.Share(
                    recipientKeyID: share.recipientKeyID, encapsulatedKey: share.encapsulatedKey.base64EncodedString(),
                    ciphertext: share.ciphertext.base64EncodedString()),
                status: .ok)
        } catch {
            logger.warning(
                "share refused", metadata: ["daulat.error": "\(error)", "daulat.key": "\(key.recipientKeyID)"])
            throw error
        }
    }

    /// Has the release in the audit log before the share leaves: signed with this custodian's enrolled
    /// key, appended by the control plane, or no share.
    private func record(_ decision: UnwrapDecision, signed: String, keyID: String, consentedBy: String) async throws {
        let credentials = session.credentials
        let record = KeyReleaseRecord(
            custodianID: custodianID, decisionID: decision.id, request: decision.request, datasetHome: decision.home,
            keyID: keyID, consentedBy: consentedBy,
            releasedAt: CanonicalJSON.rounded(Date()), decision: signed)
        do {
            let receipt = try await session.connection.post(
                "/custodian/v1/releases",
                try KeyReleaseSignature.sign(
                    record, with: credentials.privateKey, certificate: credentials.certificatePEM),
                as: CustodianMessages.ReleaseReceipt.self)
            logger.info(
                "release recorded",
                metadata: ["daulat.decision": "\(decision.id)", "daulat.audit_sequence": "\(receipt.sequence)"])
        } catch {
            throw CustodianRequestError(
                .serviceUnavailable, code: "release_unrecorded",
                "the release could not be recorded in the audit log, so the share is withheld; ask again: \(error)")
        }
    }

    private static func decode<Value: Decodable>(_ type: Value.Type, from request: Request) async throws -> Value {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: largestRequest)
        } catch is NIOTooManyBytesError {
            throw CustodianRequestError(
                .contentTooLarge, code: "request_too_large", "requests are at most \(largestRequest) bytes")
        }
        do {
            return try CanonicalJSON.decoder().decode(Value.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw CustodianRequestError(
                .badRequest, code: "malformed_request",
                "the request is not the JSON expected: \(DecodingErrorDescription.describe(error))")
        }
    }
}
