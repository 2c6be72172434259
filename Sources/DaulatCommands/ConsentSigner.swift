import ArgumentParser
import DaulatCore
import DaulatPKI
import Foundation

/// Who signs an unwrap's consent on this machine: the owning agency's member (its key and its state's
/// certificate for it), or, for an order, the home state's authority key.
struct ConsentSigner {
    let key: StateSigningKey
    /// The member's certificate text; nil when an authority signs.
    let certificate: String?
    let member: MemberID?

    /// From --member-key/--member-certificate (or DAULAT_MEMBER_KEY, DAULAT_MEMBER_CERTIFICATE), or
    /// from --authority-key for an order.
    static func resolve(memberKey: String?, memberCertificate: String?, authorityKey: String?) throws -> ConsentSigner {
        let environment = ProcessInfo.processInfo.environment
        if let authorityKey {
            return ConsentSigner(key: try StateKeyFiles.read(authorityKey), certificate: nil, member: nil)
        }
        guard let keyPath = memberKey ?? environment["DAULAT_MEMBER_KEY"],
            let certificatePath = memberCertificate ?? environment["DAULAT_MEMBER_CERTIFICATE"]
        else {
            throw ValidationError(
                "an unwrap needs the owning agency's consent: pass --member-key and --member-certificate (or set DAULAT_MEMBER_KEY and DAULAT_MEMBER_CERTIFICATE); for an order, --authority-key"
            )
        }
        let key = try StateKeyFiles.read(keyPath)
        guard
            let text = FileManager.default.contents(atPath: certificatePath).map({ String(decoding: $0, as: UTF8.self) }
            )
        else { throw ValidationError("cannot read the member certificate \(certificatePath)") }
        // Its signature is checked by the control plane and the custodians against the charter; here,
        // only that it is a certificate for this very key, so a mismatch is said before anything is sent.
        guard let payload = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").first,
            let data = Base64URL.decode(payload),
            let certificate = try? CanonicalJSON.decoder().decode(MemberCertificate.self, from: data)
        else { throw ValidationError("\(certificatePath) is not a member certificate") }
        guard certificate.publicKey == key.publicKey.description else {
            throw ValidationError("\(certificatePath) certifies another key than \(keyPath)'s")
        }
        return ConsentSigner(
            key: key, certificate: text.trimmingCharacters(in: .whitespacesAndNewlines), member: certificate.member)
    }

    /// The body of `POST …/unwrap`: the signed consent for `request`, good for a few minutes.
    func body(for request: UnwrapRequest, requesterKey: String, now: Date = Date()) throws -> [String: AnyEncodable] {
        let issuedAt = CanonicalJSON.rounded(now)
        let consent = UnwrapConsent(
            id: Identifier.random(prefix: "uc-", length: 24), request: request, requesterKey: requesterKey,
            member: member, issuedAt: issuedAt, expiresAt: issuedAt.addingTimeInterval(300))
        var body = ["consent": AnyEncodable(try consent.signed(with: key))]
        if let certificate { body["memberCertificate"] = AnyEncodable(certificate) }
        return body
    }
}
