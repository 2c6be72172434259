import DaulatCore
import DaulatPKI
import Foundation

extension CertificateAuthority {
    /// Opens the authority stored in `store`, creating it on the very first start.
    public static func loadOrCreate(
        from store: some DaulatStore,
        sealingKey: CertificateAuthorityKey,
        trustDomain: String,
        now: Date = Date()
    ) async throws -> CertificateAuthority {
        if let stored = try await store.certificateAuthority() {
            return try CertificateAuthority(stored: stored, sealingKey: sealingKey)
        }
        let created = try CertificateAuthority.create(trustDomain: trustDomain, now: now)
        let stored = try await store.establishCertificateAuthority(
            try created.stored(sealedWith: sealingKey, at: CanonicalJSON.rounded(now)), actor: "system:bootstrap"
        )
        return try CertificateAuthority(stored: stored, sealingKey: sealingKey)
    }
}
