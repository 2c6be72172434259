import Crypto
import DaulatCore
import DaulatCrypto
import DaulatFiles
import Foundation

/// A keystore in a directory, each key sealed with a key from configuration (`AtRestKey`):
///
///     <directory>/keys/<scope>/v<N>.key        a version (0600)
///     <directory>/keys/<scope>/v<N>.destroyed  what is left of a destroyed one: when
///
/// One file per version keeps a rotation or a destruction to one small write, however many scopes.
public actor SoftwareKeystore: Keystore {
    public let custodianID: String
    private let directory: URL
    private let sealingKey: AtRestKey
    private let clock: @Sendable () -> Date

    public init(
        directory: URL, sealingKey: AtRestKey, custodianID: String, clock: @escaping @Sendable () -> Date = Date.init
    ) throws {
        self.directory = directory.appendingPathComponent("keys", isDirectory: true)
        self.sealingKey = sealingKey
        self.custodianID = custodianID
        self.clock = clock
        try Self.storage { try DurableFile.createDirectory(self.directory) }
    }

    public func currentKey(scope: String) async throws -> CustodianKey {
        let versions = try self.versions(of: scope)
        if let newest = versions.live.last { return try load(scope: scope, version: newest) }
        guard versions.destroyed.isEmpty else { throw KeystoreError.scopeShredded(scope) }
        return try create(scope: scope, version: 1)
    }

    public func rotate(scope: String) async throws -> CustodianKey {
        let versions = try self.versions(of: scope)
        guard !versions.live.isEmpty || versions.destroyed.isEmpty else { throw KeystoreError.scopeShredded(scope) }
        return try create(scope: scope, version: (versions.live + versions.destroyed).max().map { $0 + 1 } ?? 1)
    }

    public func keys(scope: String) async throws -> [CustodianKey] {
        try versions(of: scope).live.map { try load(scope: scope, version: $0) }
    }

    public func destroyedVersions(scope: String) async throws -> [Int] {
        try versions(of: scope).destroyed
    }

    public func unwrap(_ wrapped: WrappedKey, context: WrapContext) async throws -> [UInt8] {
        guard let id = KeyVersionID(wrapped.recipientKeyID) else {
            throw KeystoreError.unknownKey(wrapped.recipientKeyID)
        }
        guard id.custodianID == custodianID else { throw KeystoreError.notThisCustodian(wrapped.recipientKeyID) }
        let privateKey = try privateKey(scope: id.scope, version: id.version)
        return try KeyWrapping.unwrap(wrapped, with: privateKey, context: context)
    }

    public func rewrap(
        _ wrapped: WrappedKey, context: WrapContext, to recipient: P256.KeyAgreement.PublicKey, recipientKeyID: String
    ) async throws -> WrappedKey {
        try KeyWrapping.wrap(
            try await unwrap(wrapped, context: context), to: recipient, recipientKeyID: recipientKeyID, context: context
        )
    }

    public func destroy(scope: String, version: Int) async throws {
        let file = try keyFile(scope: scope, version: version)
        guard FileManager.default.fileExists(atPath: file.path) else {
            if FileManager.default.fileExists(atPath: tombstone(scope: scope, version: version).path) { return }
            throw KeystoreError.unknownKey(id(scope, version))
        }
        // The tombstone first: a crash in between leaves a key marked destroyed, never one unmarked.
        let destroyedAt = Data("\(Int64(clock().timeIntervalSince1970 * 1000))\n".utf8)
        try Self.storage {
            try DurableFile.write(destroyedAt, to: tombstone(scope: scope, version: version))
            try DurableFile.destroy(file)
        }
    }

    // MARK: Files

    private func create(scope: String, version: Int) throws -> CustodianKey {
        let privateKey = P256.KeyAgreement.PrivateKey()
        let createdAt = clock()
        let stored = StoredKeyFile(
            scope: scope, version: version, createdAtMilliseconds: Int64(createdAt.timeIntervalSince1970 * 1000),
            publicKey: privateKey.publicKey.x963Representation.base64EncodedString(),
            sealedPrivateKey: try sealingKey.seal(
                privateKey.rawRepresentation, context: sealingContext(scope: scope, version: version)
            ).base64EncodedString())
        let (directory, file) = (try scopeDirectory(scope), try keyFile(scope: scope, version: version))
        let encoded = try JSONEncoder().encode(stored)
        try Self.storage {
            try DurableFile.createDirectory(directory)
            try DurableFile.write(encoded, to: file, replacing: false)
        }
        return try key(from: stored)
    }

    private func load(scope: String, version: Int) throws -> CustodianKey {
        try key(from: try stored(scope: scope, version: version))
    }

    private func stored(scope: String, version: Int) throws -> StoredKeyFile {
        let file = try keyFile(scope: scope, version: version)
        // The tombstone is final: a key file beside it (a destruction cut short by a crash, a restored
        // backup) is never used, and is destroyed now.
        if FileManager.default.fileExists(atPath: tombstone(scope: scope, version: version).path) {
            if FileManager.default.fileExists(atPath: file.path) { try Self.storage { try DurableFile.destroy(file) } }
            throw KeystoreError.keyDestroyed(id(scope, version))
        }
        guard let data = try Self.storage({ try DurableFile.readPrivate(file) }) else {
            throw KeystoreError.unknownKey(id(scope, version))
        }
        guard let stored = try? JSONDecoder().decode(StoredKeyFile.self, from: data), stored.scope == scope,
            stored.version == version
        else { throw KeystoreError.cannotOpenKey(id(scope, version)) }
        return stored
    }

    private func privateKey(scope: String, version: Int) throws -> P256.KeyAgreement.PrivateKey {
        let stored = try stored(scope: scope, version: version)
        guard let sealed = Data(base64Encoded: stored.sealedPrivateKey),
            let raw = sealingKey.open(sealed, context: sealingContext(scope: scope, version: version)),
            let key = try? P256.KeyAgreement.PrivateKey(rawRepresentation: raw)
        else { throw KeystoreError.cannotOpenKey(id(scope, version)) }
        return key
    }

    private func key(from stored: StoredKeyFile) throws -> CustodianKey {
        guard let bytes = Data(base64Encoded: stored.publicKey),
            let publicKey = try? P256.KeyAgreement.PublicKey(x963Representation: bytes)
        else { throw KeystoreError.cannotOpenKey(id(stored.scope, stored.version)) }
        return CustodianKey(
            custodianID: custodianID, scope: stored.scope, version: stored.version, publicKey: publicKey,
            createdAt: Date(timeIntervalSince1970: Double(stored.createdAtMilliseconds) / 1000))
    }

    /// The versions of `scope` on disk, live and destroyed, each ascending. A directory that cannot be
    /// read is an error, never "no keys": that would make a new key over an existing one.
    private func versions(of scope: String) throws -> (live: [Int], destroyed: [Int]) {
        let directory = try scopeDirectory(scope)
        let names = try Self.storage { try DurableFile.names(in: directory) }
        func versions(_ suffix: String) -> Set<Int> {
            Set(
                names.compactMap { name in
                    guard name.hasPrefix("v"), name.hasSuffix(suffix) else { return nil }
                    return Int(name.dropFirst().dropLast(suffix.count))
                })
        }
        let destroyed = versions(".destroyed")
        return (versions(".key").subtracting(destroyed).sorted(), destroyed.sorted())
    }

    /// File failures as the keystore's own errors.
    private static func storage<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DurableFileError {
            throw error.tooOpen ? KeystoreError.permissionsTooOpen(path: error.path) : KeystoreError.storage("\(error)")
        }
    }

    private func sealingContext(scope: String, version: Int) -> Data {
        Data("daulat custodian key v1\u{0}\(custodianID)\u{0}\(scope)\u{0}\(version)".utf8)
    }

    private func id(_ scope: String, _ version: Int) -> String {
        KeyVersionID(custodianID: custodianID, scope: scope, version: version).description
    }

    /// Scopes name directories: only names that cannot climb out of the keystore or hide.
    private func scopeDirectory(_ scope: String) throws -> URL {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (1...128).contains(scope.count), scope.allSatisfy(allowed.contains),
            let first = scope.first, first.isLetter || first.isNumber
        else { throw KeystoreError.invalidScope(scope) }
        return directory.appendingPathComponent(scope, isDirectory: true)
    }

    private func keyFile(scope: String, version: Int) throws -> URL {
        try scopeDirectory(scope).appendingPathComponent("v\(version).key")
    }

    private func tombstone(scope: String, version: Int) -> URL {
        directory.appendingPathComponent(scope, isDirectory: true).appendingPathComponent("v\(version).destroyed")
    }
}
