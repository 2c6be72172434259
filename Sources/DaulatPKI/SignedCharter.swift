import DaulatCore
import Foundation

/// An ``AllianceCharter`` with its authorities' signatures, as a file passes from state to state:
/// `{"charter": base64url(canonical JSON), "signatures": {"ID": base64url(Ed25519), …}}`. Each
/// authority signs the same bytes; the charter holds only once every authority it lists has signed.
public struct SignedCharter: Codable, Sendable, Equatable {
    public var charter: String
    public var signatures: [String: String]

    /// A charter no one has signed yet, to pass to each authority in turn.
    public init(draft: AllianceCharter) throws {
        charter = Base64URL.encode(try CanonicalJSON.encoder().encode(draft))
        signatures = [:]
    }

    /// A charter signed by every authority it lists, all held in one place: what `daulat dev` and the
    /// tests make for an alliance whose states they play; states sign one by one (``sign(as:with:)``).
    public init(
        instance: String, authorities: [JurisdictionCode: StateSigningKey],
        witnesses: [JurisdictionCode: StateSigningKey], issuedAt: Date
    ) throws {
        try self.init(
            draft: AllianceCharter(
                instance: instance,
                authorities: authorities.map {
                    .init(
                        jurisdiction: $0.key, publicKey: $0.value.publicKey.description,
                        witnessKey: witnesses[$0.key]?.publicKey.description)
                }, issuedAt: issuedAt))
        for (jurisdiction, key) in authorities { try sign(as: jurisdiction, with: key) }
    }

    public init(text: String) throws(CharterError) {
        do {
            self = try JSONDecoder().decode(SignedCharter.self, from: Data(text.utf8))
        } catch {
            throw .malformed("expected {\"charter\": …, \"signatures\": {…}}")
        }
        _ = try content()
    }

    /// The file's text: canonical JSON, so that the same signatures give the same file.
    public var text: String {
        get throws { try CanonicalJSON.encode(self) }
    }

    /// What the charter says, whether or not it is signed.
    public func content() throws(CharterError) -> AllianceCharter {
        guard let payload = Base64URL.decode(charter),
            let content = try? CanonicalJSON.decoder().decode(AllianceCharter.self, from: payload)
        else { throw .malformed("its charter part is not a base64url charter") }
        guard !content.authorities.isEmpty else { throw .malformed("it lists no authority") }
        guard Set(content.authorities.map(\.jurisdiction)).count == content.authorities.count else {
            throw .malformed("it lists a jurisdiction twice")
        }
        for authority in content.authorities
        where (try? StateVerifyingKey(authority.publicKey)) == nil
            || authority.witnessKey.map({ (try? StateVerifyingKey($0)) == nil }) == true
        {
            throw .malformed("a key of \(authority.jurisdiction.rawValue) is not an Ed25519 public key")
        }
        return content
    }

    /// Adds `jurisdiction`'s signature, made with its authority's key (the one the charter lists).
    public mutating func sign(as jurisdiction: JurisdictionCode, with key: StateSigningKey) throws -> Void {
        guard let listed = try content().authority(of: jurisdiction) else {
            throw CharterError.unknownSigner(jurisdiction.rawValue)
        }
        guard listed.publicKey == key.publicKey.description else { throw CharterError.wrongKey(jurisdiction.rawValue) }
        signatures[jurisdiction.rawValue] = Base64URL.encode(try key.signature(for: signedBytes()))
    }

    /// The charter, if every authority it lists signed it and no one else did.
    public func verified() throws(CharterError) -> AllianceCharter {
        let content = try content()
        let listed = Set(content.authorities.map(\.jurisdiction.rawValue))
        if let stranger = signatures.keys.sorted().first(where: { !listed.contains($0) }) {
            throw .unknownSigner(stranger)
        }
        let missing = content.authorities.map(\.jurisdiction.rawValue).filter { signatures[$0] == nil }
        guard missing.isEmpty else { throw .unsigned(missing) }
        for authority in content.authorities {
            let code = authority.jurisdiction.rawValue
            guard let signature = signatures[code].flatMap(Base64URL.decode),
                let key = try? StateVerifyingKey(authority.publicKey),
                key.isValidSignature(signature, for: try signedBytes())
            else { throw .badSignature(code) }
        }
        return content
    }

    private func signedBytes() throws(CharterError) -> Data {
        guard let payload = Base64URL.decode(charter) else { throw .malformed("its charter part is not base64url") }
        return SignedDocument.context(AllianceCharter.signaturePurpose) + payload
    }
}

extension AllianceCharter {
    /// The authority key pinned for `jurisdiction`, if the charter lists one.
    public func key(of jurisdiction: JurisdictionCode) -> StateVerifyingKey? {
        authority(of: jurisdiction).flatMap { try? StateVerifyingKey($0.publicKey) }
    }

    /// Every witness the charter pins, by jurisdiction, as a checkpoint's cosignatures are checked.
    public var witnesses: [JurisdictionCode: NoteKey] {
        var keys: [JurisdictionCode: NoteKey] = [:]
        for authority in authorities {
            if let witnessKey = authority.witnessKey,
                let key = NoteKey(
                    name: Checkpoint.witnessName(instance: instance, jurisdiction: authority.jurisdiction),
                    type: NoteKey.cosignature, base64: witnessKey)
            {
                keys[authority.jurisdiction] = key
            }
        }
        return keys
    }
}
