import ArgumentParser
import DaulatCore
import DaulatPKI
import Foundation

/// `--authority-key`: a state's authority key, for what only that state may sign; which state is
/// read from the alliance charter, which pins each state's public key.
struct AuthorityKeyOption: ParsableArguments {
    @Option(help: "The signing state's authority key file (or DAULAT_AUTHORITY_KEY).") var authorityKey: String?

    func resolve(with api: APIClient) async throws -> (key: StateSigningKey, jurisdiction: JurisdictionCode) {
        guard let path = authorityKey ?? ProcessInfo.processInfo.environment["DAULAT_AUTHORITY_KEY"] else {
            throw ValidationError(
                "this needs a state's signature: pass --authority-key FILE (or set DAULAT_AUTHORITY_KEY)")
        }
        let key = try StateKeyFiles.read(path)
        let (signed, _) = try await api.get("/v1/alliance/charter", as: SignedCharter.self)
        let charter = try signed.verified()
        guard let authority = charter.authorities.first(where: { $0.publicKey == key.publicKey.description }) else {
            throw ValidationError("\(path) is not the authority key of any state in the alliance charter")
        }
        return (key, authority.jurisdiction)
    }
}
