import Foundation

/// Weighted rendezvous (highest-random-weight) hashing. Every candidate gets a score from a hash of
/// (item, candidate) scaled by its weight; the highest scores win. Adding, removing or reweighting one
/// candidate moves only the items whose winners involve it, which is what keeps placement stable when
/// the topology changes.
///
/// Keys come from FNV-1a over the identifier's UTF-8 bytes, so scores are the same in every process and
/// on every machine (Swift's `Hasher` is seeded per process and would not be).
public enum RendezvousHash {
    public static func key(_ identifier: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in identifier.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return mix(hash)
    }

    /// The score of a candidate for an item; larger wins. `weight` must be positive.
    /// The logarithmic method makes the chance of winning proportional to the weight.
    @inline(__always)
    public static func score(item: UInt64, candidate: UInt64, weight: Double) -> Double {
        score(hash53: hash(item: item, candidate: candidate) >> 11, weight: weight)
    }

    /// The pair's hash; for one weight, a larger hash means a larger score.
    @inline(__always)
    static func hash(item: UInt64, candidate: UInt64) -> UInt64 {
        mix(item ^ (candidate &* 0x9e37_79b9_7f4a_7c15))
    }

    /// The score for the top 53 bits of a pair's hash.
    @inline(__always)
    static func score(hash53: UInt64, weight: Double) -> Double {
        let unit = (Double(hash53) + 0.5) * 0x1.0p-53  // uniform in (0, 1)
        return -weight / log(unit)
    }

    /// The splitmix64 finaliser: spreads every input bit over every output bit.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
