import Crypto
import DaulatCrypto
import DaulatCustodian
import Foundation
import Testing

@Suite("Software keystore")
struct SoftwareKeystoreTests {
    let directory: URL
    let sealingKey = AtRestKey.generate().key

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "daulat-keystore-\(UUID().uuidString)")
    }

    func keystore(_ key: AtRestKey? = nil, custodian: String = "cust-id") throws -> SoftwareKeystore {
        try SoftwareKeystore(directory: directory, sealingKey: key ?? sealingKey, custodianID: custodian)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    /// A fresh data key wrapped to `key`, for object `obj-1`.
    func wrapKey(to key: CustodianKey, object: String = "obj-1") throws -> (WrappedKey, [UInt8], WrapContext) {
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let context = try WrapContext(objectID: object, keyID: "dek-\(object)")
        return (
            try KeyWrapping.wrap(secret, to: key.publicKey, recipientKeyID: key.id, context: context), secret, context
        )
    }

    @Test("a scope's key is made once, kept across restarts, and unwraps what was wrapped to it")
    func currentKey() async throws {
        defer { cleanUp() }
        let first = try await keystore().currentKey(scope: "ds-census")
        #expect(first.id == "cust-id/ds-census/v1")
        let reopened = try keystore()
        #expect(try await reopened.currentKey(scope: "ds-census") == first)
        let (wrapped, secret, context) = try wrapKey(to: first)
        #expect(try await reopened.unwrap(wrapped, context: context) == secret)
        #expect(try await reopened.currentKey(scope: "ds-other") != first)
    }

    @Test("rotation adds a version; older ones still unwrap until destroyed, then never again")
    func rotation() async throws {
        defer { cleanUp() }
        let store = try keystore()
        let v1 = try await store.currentKey(scope: "ds-census")
        let (old, oldSecret, oldContext) = try wrapKey(to: v1)
        let v2 = try await store.rotate(scope: "ds-census")
        #expect(v2.version == 2 && v2.publicKey.x963Representation != v1.publicKey.x963Representation)
        #expect(try await store.currentKey(scope: "ds-census") == v2)
        #expect(try await store.unwrap(old, context: oldContext) == oldSecret)
        // Re-wrapped to the new version, as a rotation does for every data key, and the old one destroyed.
        let rewrapped = try KeyWrapping.wrap(oldSecret, to: v2.publicKey, recipientKeyID: v2.id, context: oldContext)
        try await store.destroy(scope: "ds-census", version: 1)
        #expect(try await store.unwrap(rewrapped, context: oldContext) == oldSecret)
        await #expect(throws: KeystoreError.keyDestroyed("cust-id/ds-census/v1")) {
            try await store.unwrap(old, context: oldContext)
        }
        #expect(try await store.keys(scope: "ds-census").map(\.version) == [2])
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("keys/ds-census/v1.key").path))
        // Destroying twice is done once; the next version is never a reused number.
        try await store.destroy(scope: "ds-census", version: 1)
        #expect(try await store.rotate(scope: "ds-census").version == 3)
    }

    @Test("a scope whose every key is destroyed is shredded: nothing unwraps and it gets no new key")
    func shredding() async throws {
        defer { cleanUp() }
        let store = try keystore()
        let key = try await store.currentKey(scope: "ds-census")
        let (wrapped, _, context) = try wrapKey(to: key)
        try await store.destroy(scope: "ds-census", version: 1)
        await #expect(throws: KeystoreError.keyDestroyed(key.id)) { try await store.unwrap(wrapped, context: context) }
        await #expect(throws: KeystoreError.scopeShredded("ds-census")) {
            try await store.currentKey(scope: "ds-census")
        }
        await #expect(throws: KeystoreError.scopeShredded("ds-census")) { try await store.rotate(scope: "ds-census") }
    }

    @Test("key files are 0600 in 0700 directories, hold no private key in the clear, and are refused when opened up")
    func permissions() async throws {
        defer { cleanUp() }
        let key = try await keystore().currentKey(scope: "ds-census")
        let file = directory.appendingPathComponent("keys/ds-census/v1.key")
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: file.deletingLastPathComponent().path)
        #expect((folder[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        let (wrapped, _, context) = try wrapKey(to: key)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        await #expect(throws: KeystoreError.permissionsTooOpen(path: file.path)) {
            try await keystore().unwrap(wrapped, context: context)
        }
    }

    @Test("another keystore key, a changed or moved key file, another custodian's key and bad scopes are refused")
    func refusals() async throws {
        defer { cleanUp() }
        let store = try keystore()
        let key = try await store.currentKey(scope: "ds-census")
        let (wrapped, _, context) = try wrapKey(to: key)
        await #expect(throws: KeystoreError.cannotOpenKey(key.id)) {
            try await keystore(AtRestKey.generate().key).unwrap(wrapped, context: context)
        }
        // The census key file copied over another scope's: it names its scope, and is sealed to it.
        let other = try await store.currentKey(scope: "ds-other")
        let (otherWrapped, _, otherContext) = try wrapKey(to: other)
        let keys = directory.appendingPathComponent("keys")
        let censusFile = try Data(contentsOf: keys.appendingPathComponent("ds-census/v1.key"))
        try censusFile.write(to: keys.appendingPathComponent("ds-other/v1.key"))
        await #expect(throws: KeystoreError.cannotOpenKey(other.id)) {
            try await store.unwrap(otherWrapped, context: otherContext)
        }
        var edited = try JSONSerialization.jsonObject(with: censusFile) as! [String: Any]
        edited["scope"] = "ds-other"
        try JSONSerialization.data(withJSONObject: edited).write(to: keys.appendingPathComponent("ds-other/v1.key"))
        await #expect(throws: KeystoreError.cannotOpenKey(other.id)) {
            try await store.unwrap(otherWrapped, context: otherContext)
        }
        // Wrapped to another custodian, to a version that does not exist, or to nothing of our shape.
        let foreign = WrappedKey(
            recipientKeyID: "cust-other/ds-census/v1", encapsulatedKey: wrapped.encapsulatedKey,
            ciphertext: wrapped.ciphertext)
        await #expect(throws: KeystoreError.notThisCustodian("cust-other/ds-census/v1")) {
            try await store.unwrap(foreign, context: context)
        }
        for id in ["cust-id/ds-census/v9", "cust-id/ds-census", "nonsense"] {
            let unknown = WrappedKey(
                recipientKeyID: id, encapsulatedKey: wrapped.encapsulatedKey, ciphertext: wrapped.ciphertext)
            await #expect(throws: KeystoreError.unknownKey(id)) { try await store.unwrap(unknown, context: context) }
        }
        // The right key, the wrong context.
        await #expect(throws: KeyWrappingError.self) {
            try await store.unwrap(wrapped, context: try WrapContext(objectID: "obj-2", keyID: "dek-obj-1"))
        }
        for scope in ["", "../keys", "ds/census", ".hidden", "DS-Census", String(repeating: "a", count: 129)] {
            await #expect(throws: KeystoreError.invalidScope(scope)) { try await store.currentKey(scope: scope) }
        }
    }

    @Test("a key file beside its tombstone (a destruction cut short, a restored backup) is never used, and goes")
    func tombstoneIsFinal() async throws {
        defer { cleanUp() }
        let store = try keystore()
        let key = try await store.currentKey(scope: "ds-census")
        let (wrapped, _, context) = try wrapKey(to: key)
        let file = directory.appendingPathComponent("keys/ds-census/v1.key")
        let saved = try Data(contentsOf: file)
        try await store.destroy(scope: "ds-census", version: 1)
        try saved.write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        await #expect(throws: KeystoreError.keyDestroyed(key.id)) { try await store.unwrap(wrapped, context: context) }
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(try await store.keys(scope: "ds-census").isEmpty)
        await #expect(throws: KeystoreError.scopeShredded("ds-census")) {
            try await store.currentKey(scope: "ds-census")
        }
    }

    @Test("a scope directory that cannot be read is an error, never taken for an empty one")
    func unreadableScope() async throws {
        defer { cleanUp() }
        guard geteuid() != 0 else {
            // root reads any directory whatever its mode; the listing error is then simulated by a file.
            let store = try keystore()
            _ = try await store.currentKey(scope: "ds-census")
            let scope = directory.appendingPathComponent("keys/ds-census")
            try FileManager.default.removeItem(at: scope)
            try Data().write(to: scope)
            await #expect(throws: KeystoreError.self) { try await store.rotate(scope: "ds-census") }
            return
        }
        let store = try keystore()
        _ = try await store.currentKey(scope: "ds-census")
        let scope = directory.appendingPathComponent("keys/ds-census")
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: scope.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: scope.path) }
        await #expect(throws: KeystoreError.self) { try await store.rotate(scope: "ds-census") }
    }

    @Test("a key file that is a symbolic link is refused")
    func symbolicLink() async throws {
        defer { cleanUp() }
        let store = try keystore()
        let key = try await store.currentKey(scope: "ds-census")
        let (wrapped, _, context) = try wrapKey(to: key)
        let file = directory.appendingPathComponent("keys/ds-census/v1.key")
        let elsewhere = directory.appendingPathComponent("elsewhere.key")
        try FileManager.default.moveItem(at: file, to: elsewhere)
        try FileManager.default.createSymbolicLink(at: file, withDestinationURL: elsewhere)
        await #expect(throws: KeystoreError.self) { try await store.unwrap(wrapped, context: context) }
    }
}
