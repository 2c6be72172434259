import DaulatCrypto
import Testing

@Suite("Secret sharing over GF(256)")
struct SecretSharingTests {
    /// Every way of choosing `count` of `items`.
    static func subsets<T>(_ items: [T], _ count: Int) -> [[T]] {
        guard count > 0 else { return [[]] }
        guard items.count >= count else { return [] }
        let rest = Array(items.dropFirst())
        return subsets(rest, count - 1).map { [items[0]] + $0 } + subsets(rest, count)
    }

    @Test("every three of the vector's five shares give its secret; two are refused")
    func vector() throws {
        let vector = try TestVectors.load("shamir-gf256.json", as: TestVectors.Shamir.self)
        let shares = vector.shares.map {
            KeyShare(index: $0.index, threshold: vector.threshold, bytes: TestVectors.bytes($0.bytes))
        }
        for chosen in Self.subsets(shares, 3) {
            #expect(try SecretSharing.combine(chosen) == TestVectors.bytes(vector.secret))
        }
        #expect(throws: SecretSharingError.tooFewShares(have: 2, need: 3)) {
            try SecretSharing.combine(Array(shares.prefix(2)))
        }
    }

    @Test(
        "any k of n shares recover a random key; k - 1 are refused",
        arguments: [(1, 1), (1, 3), (2, 2), (2, 3), (3, 5), (5, 5), (4, 7)])
    func splits(threshold: Int, count: Int) throws {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let shares = try SecretSharing.split(secret, threshold: threshold, shares: count)
        #expect(shares.map(\.index) == (1...count).map { UInt8($0) })
        for chosen in Self.subsets(shares, threshold) {
            #expect(try SecretSharing.combine(chosen.reversed()) == secret)
        }
        if threshold > 1 {
            for chosen in Self.subsets(shares, threshold - 1) {
                #expect(throws: SecretSharingError.tooFewShares(have: threshold - 1, need: threshold)) {
                    try SecretSharing.combine(chosen)
                }
            }
            // One share alone is not the key, nor is any share the same as another.
            #expect(shares.allSatisfy { $0.bytes != secret })
            #expect(Set(shares.map(\.bytes)).count == count)
        }
    }

    @Test("impossible splits and mismatched, repeated or missing shares are refused")
    func badInput() throws {
        for (threshold, count) in [(0, 3), (4, 3), (1, 0), (2, 256)] {
            #expect(throws: SecretSharingError.invalidThreshold(threshold: threshold, shares: count)) {
                try SecretSharing.split([1, 2, 3], threshold: threshold, shares: count)
            }
        }
        #expect(throws: SecretSharingError.emptySecret) { try SecretSharing.split([], threshold: 1, shares: 1) }
        let shares = try SecretSharing.split([1, 2, 3], threshold: 2, shares: 3)
        #expect(throws: SecretSharingError.duplicateShares) { try SecretSharing.combine([shares[0], shares[0]]) }
        let other = try SecretSharing.split([1, 2, 3, 4], threshold: 2, shares: 3)
        #expect(throws: SecretSharingError.inconsistentShares) { try SecretSharing.combine([shares[0], other[1]]) }
        #expect(throws: SecretSharingError.tooFewShares(have: 0, need: 1)) { try SecretSharing.combine([]) }
        // A share claiming a threshold of 0 would make any one share "enough".
        #expect(throws: SecretSharingError.inconsistentShares) {
            try SecretSharing.combine([KeyShare(index: 1, threshold: 0, bytes: [1, 2, 3])])
        }
        #expect(!"\(shares[0])".contains("\(shares[0].bytes)"), "a share's description never shows its bytes")
        let zero = KeyShare(index: 0, threshold: 2, bytes: [1, 2, 3])
        #expect(throws: SecretSharingError.duplicateShares) { try SecretSharing.combine([zero, shares[1]]) }
    }
}
