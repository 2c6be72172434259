import Crypto

/// A data key put back together from the shares custodians return, each re-wrapped to the requester's
/// one-time key: shares are opened as they arrive, failures recorded against the custodian that gave
/// them, and the key comes out only when enough opened — otherwise an error that names every share
/// that is missing, from whom and where, and why.
public struct KeyRecovery: Sendable {
    public let threshold: Int
    public let expected: [ExpectedShare]
    private let requesterKey: P256.KeyAgreement.PrivateKey
    private let objectID: String
    private let keyID: String
    private var opened: [UInt8: [UInt8]] = [:]
    private var failures: [UInt8: String] = [:]

    /// `expected`: every share there is (n of them), of which `threshold` are needed.
    public init(
        threshold: Int, expected: [ExpectedShare], requesterKey: P256.KeyAgreement.PrivateKey, objectID: String,
        keyID: String
    ) throws {
        guard (1...max(1, expected.count)).contains(threshold), !expected.isEmpty,
            Set(expected.map(\.index)).count == expected.count
        else {
            throw SecretSharingError.invalidThreshold(threshold: threshold, shares: expected.count)
        }
        self.threshold = threshold
        self.expected = expected
        self.requesterKey = requesterKey
        self.objectID = objectID
        self.keyID = keyID
    }

    /// A key held whole by one custodian, not split: wrapped with share index and threshold 0.
    private var isWholeKey: Bool { threshold == 1 && expected.count == 1 }

    /// Opens share `index` as its custodian returned it; a share that does not open is recorded as
    /// that custodian's failure, not thrown.
    public mutating func receive(_ share: WrappedKey, index: UInt8) {
        guard expected.contains(where: { $0.index == index }) else { return }
        do {
            let context =
                isWholeKey
                ? try WrapContext(objectID: objectID, keyID: keyID)
                : try WrapContext(objectID: objectID, keyID: keyID, shareIndex: index, threshold: UInt8(threshold))
            opened[index] = try KeyWrapping.unwrap(share, with: requesterKey, context: context)
            failures[index] = nil
        } catch {
            failures[index] = "its share did not open: \(error)"
        }
    }

    /// Records that share `index` could not be had: its custodian was down, refused, or timed out.
    public mutating func fail(index: UInt8, reason: String) {
        guard opened[index] == nil else { return }
        failures[index] = reason
    }

    /// Whether enough shares have opened for ``dataKey()``: the others need not be waited for.
    public var isComplete: Bool { opened.count >= threshold }

    /// The data key, from `threshold` opened shares.
    public func dataKey() throws -> SymmetricKey {
        guard isComplete else {
            let missing = expected.filter { opened[$0.index] == nil }.map { share in
                MissingShare(share: share, reason: failures[share.index] ?? "no answer")
            }
            throw KeyRecoveryError(have: opened.count, need: threshold, missing: missing)
        }
        let bytes: [UInt8]
        if isWholeKey {
            bytes = opened.values.first!
        } else {
            bytes = try SecretSharing.combine(
                opened.map { KeyShare(index: $0.key, threshold: UInt8(threshold), bytes: $0.value) })
        }
        guard bytes.count == 32 else { throw SealedObjectError.invalidDataKey(bits: bytes.count * 8) }
        return SymmetricKey(data: bytes)
    }
}
