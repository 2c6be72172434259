/// Shamir's secret sharing over GF(256), byte by byte: any `threshold` shares give the secret back, and
/// fewer give nothing about it. Used to split a data key across custodians in several jurisdictions,
/// so that no one state can open an object alone.
public enum SecretSharing {
    /// `shares` shares of `secret`, any `threshold` of which recover it.
    public static func split(_ secret: [UInt8], threshold: Int, shares: Int) throws -> [KeyShare] {
        var generator = SystemRandomNumberGenerator()
        guard !secret.isEmpty else { throw SecretSharingError.emptySecret }
        guard (1...255).contains(shares), (1...shares).contains(threshold) else {
            throw SecretSharingError.invalidThreshold(threshold: threshold, shares: shares)
        }
        var points = [[UInt8]](repeating: [], count: shares)
        for byte in secret {
            // A polynomial of degree threshold - 1 whose value at 0 is the byte.
            let coefficients = [byte] + (1..<threshold).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for x in 1...shares {
                points[x - 1].append(evaluate(coefficients, at: UInt8(x)))
            }
        }
        return points.enumerated().map {
            KeyShare(index: UInt8($0.offset + 1), threshold: UInt8(threshold), bytes: $0.element)
        }
    }

    /// The secret, from at least the threshold number of distinct shares of it.
    public static func combine(_ shares: [KeyShare]) throws -> [UInt8] {
        guard let first = shares.first else { throw SecretSharingError.tooFewShares(have: 0, need: 1) }
        guard first.threshold >= 1, !first.bytes.isEmpty,
            shares.allSatisfy({ $0.threshold == first.threshold && $0.bytes.count == first.bytes.count })
        else {
            throw SecretSharingError.inconsistentShares
        }
        guard shares.allSatisfy({ $0.index != 0 }), Set(shares.map(\.index)).count == shares.count else {
            throw SecretSharingError.duplicateShares
        }
        guard shares.count >= Int(first.threshold) else {
            throw SecretSharingError.tooFewShares(have: shares.count, need: Int(first.threshold))
        }
        let used = Array(shares.prefix(Int(first.threshold)))
        // Lagrange interpolation at 0: secret = Σ y_i · Π_{j≠i} x_j / (x_j - x_i); minus is plus here.
        let weights = used.map { share in
            used.filter { $0.index != share.index }.reduce(UInt8(1)) { weight, other in
                GF256.multiply(weight, GF256.multiply(other.index, GF256.inverse(other.index ^ share.index)))
            }
        }
        return (0..<first.bytes.count).map { position in
            zip(used, weights).reduce(UInt8(0)) { $0 ^ GF256.multiply($1.0.bytes[position], $1.1) }
        }
    }

    /// Horner's rule, highest coefficient first.
    private static func evaluate(_ coefficients: [UInt8], at x: UInt8) -> UInt8 {
        coefficients.reversed().reduce(UInt8(0)) { GF256.multiply($0, x) ^ $1 }
    }
}
