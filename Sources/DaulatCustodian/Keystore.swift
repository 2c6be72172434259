import Crypto
import DaulatCrypto

/// Where a custodian keeps its key-encryption keys (KEKs). A KEK never leaves it: callers get public
/// keys and ask it to unwrap or re-wrap, so that a PKCS#11 HSM can stand behind the same protocol as
/// the software keystore. Shares reach requesters only re-wrapped (`rewrap`). Keys are per scope (a dataset), versioned: rotation adds a version, and
/// destroying every version of a scope makes whatever was wrapped to it unreadable for good.
public protocol Keystore: Sendable {
    /// The newest key of `scope`, created on first use. A scope whose keys were all destroyed is
    /// shredded and gets no new key.
    func currentKey(scope: String) async throws -> CustodianKey
    /// A new version for `scope`; the older ones still unwrap until destroyed.
    func rotate(scope: String) async throws -> CustodianKey
    /// Every version of `scope` that is not destroyed, oldest first.
    func keys(scope: String) async throws -> [CustodianKey]
    /// Every version of `scope` that was destroyed, oldest first: what a destruction repeated after a
    /// crash reports.
    func destroyedVersions(scope: String) async throws -> [Int]
    /// Opens a key wrapped to one of this keystore's keys, for the context it was wrapped for.
    func unwrap(_ wrapped: WrappedKey, context: WrapContext) async throws -> [UInt8]
    /// The same key wrapped instead to `recipient` for the same context, without the key leaving the
    /// keystore in the clear: how a share reaches a requester.
    func rewrap(
        _ wrapped: WrappedKey, context: WrapContext, to recipient: P256.KeyAgreement.PublicKey, recipientKeyID: String
    ) async throws -> WrappedKey
    func destroy(scope: String, version: Int) async throws
}
