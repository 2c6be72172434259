import Crypto
import DaulatCrypto
import Foundation
import Testing

@Suite("Recovering a data key from custodians' shares")
struct KeyRecoveryTests {
    let requester = P256.KeyAgreement.PrivateKey()
    let secret = (0..<32).map { _ in UInt8.random(in: 0...255) }
    let expected = [
        ExpectedShare(index: 1, custodian: "cust-id", jurisdiction: "ID"),
        ExpectedShare(index: 2, custodian: "cust-sg", jurisdiction: "SG"),
        ExpectedShare(index: 3, custodian: "cust-my", jurisdiction: "MY"),
    ]

    /// The shares of a 2-of-3 split as custodians return them: re-wrapped to the requester's key.
    func returnedShares() throws -> [UInt8: WrappedKey] {
        var returned: [UInt8: WrappedKey] = [:]
        for share in try SecretSharing.split(secret, threshold: 2, shares: 3) {
            returned[share.index] = try KeyWrapping.wrap(
                share.bytes, to: requester.publicKey, recipientKeyID: "requester/dec-1",
                context: try WrapContext(objectID: "obj-1", keyID: "dek-1", shareIndex: share.index, threshold: 2))
        }
        return returned
    }

    func newRecovery() throws -> KeyRecovery {
        try KeyRecovery(threshold: 2, expected: expected, requesterKey: requester, objectID: "obj-1", keyID: "dek-1")
    }

    @Test("any two of three returned shares give the key back")
    func twoOfThree() throws {
        let shares = try returnedShares()
        for pair: [UInt8] in [[1, 2], [1, 3], [2, 3]] {
            var recovery = try newRecovery()
            for index in pair { recovery.receive(shares[index]!, index: index) }
            let key = try recovery.dataKey()
            #expect(key.withUnsafeBytes { Array($0) } == secret)
        }
    }

    @Test(
        "with a custodian down and another's share damaged, the error names each missing share, its custodian and where"
    )
    func missingShares() throws {
        let shares = try returnedShares()
        var recovery = try newRecovery()
        recovery.fail(index: 1, reason: "custodian unreachable: connection refused")
        var damaged = shares[2]!
        damaged = WrappedKey(
            recipientKeyID: damaged.recipientKeyID, encapsulatedKey: damaged.encapsulatedKey,
            ciphertext: Data(damaged.ciphertext.reversed()))
        recovery.receive(damaged, index: 2)
        recovery.receive(shares[3]!, index: 3)
        do {
            _ = try recovery.dataKey()
            Issue.record("a key from one share of a 2-of-3 split")
        } catch let error as KeyRecoveryError {
            #expect(error.have == 1 && error.need == 2)
            #expect(error.missing.map(\.share.index) == [1, 2])
            #expect(error.description.contains("share 1 from custodian cust-id in ID: custodian unreachable"))
            #expect(error.description.contains("share 2 from custodian cust-sg in SG: its share did not open"))
        }
        // A share meant for another share's slot does not open there.
        var swapped = try newRecovery()
        swapped.receive(shares[1]!, index: 2)
        swapped.receive(shares[3]!, index: 3)
        #expect(throws: KeyRecoveryError.self) { try swapped.dataKey() }
    }

    @Test("a key held whole by one custodian opens with its one share; impossible expectations are refused")
    func wholeKey() throws {
        let whole = try KeyWrapping.wrap(
            secret, to: requester.publicKey, recipientKeyID: "requester/dec-1",
            context: try WrapContext(objectID: "obj-1", keyID: "dek-1"))
        var recovery = try KeyRecovery(
            threshold: 1, expected: [expected[0]], requesterKey: requester, objectID: "obj-1", keyID: "dek-1")
        recovery.receive(whole, index: 1)
        #expect(try recovery.dataKey().withUnsafeBytes { Array($0) } == secret)
        #expect(throws: SecretSharingError.self) {
            try KeyRecovery(threshold: 4, expected: expected, requesterKey: requester, objectID: "o", keyID: "k")
        }
        #expect(throws: SecretSharingError.self) {
            try KeyRecovery(
                threshold: 1, expected: [expected[0], expected[0]], requesterKey: requester, objectID: "o", keyID: "k")
        }
    }
}
