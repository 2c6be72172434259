import DaulatCore
import Foundation
import Testing

@Suite("Rendezvous hashing")
struct RendezvousHashTests {
    @Test(
        "keys are FNV-1a of the UTF-8 bytes, finalised, and so the same in every process",
        arguments: [
            ("", 0xf52a_15e9_a9b5_e89b as UInt64),
            ("a", 0x02c0_bdbf_4814_20f8),
            ("census-2025", 0xede3_53f8_9703_8ab5),
            ("id-jkt-1-a", 0x5ad1_fb4b_a5f1_c31c),
        ]
    )
    func stableKeys(identifier: String, expected: UInt64) {
        #expect(RendezvousHash.key(identifier) == expected)
    }

    @Test("scores are positive, finite, and grow with the weight for the same item and candidate")
    func scoresGrowWithWeight() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<1_000 {
            let item = generator.next()
            let candidate = generator.next()
            let light = RendezvousHash.score(item: item, candidate: candidate, weight: 1)
            let heavy = RendezvousHash.score(item: item, candidate: candidate, weight: 3)
            #expect(light > 0 && light.isFinite)
            #expect(heavy > light)
            #expect(abs(heavy / light - 3) < 1e-9)
        }
    }

    @Test("the chance of winning is proportional to the weight")
    func proportionalWins() {
        let weights: [Double] = [1, 2, 3, 4]
        let candidates = (0..<weights.count).map { RendezvousHash.key("candidate-\($0)") }
        var wins = [Int](repeating: 0, count: weights.count)
        let items = 20_000
        for index in 0..<items {
            let item = RendezvousHash.key("item-\(index)")
            let scores = candidates.indices.map {
                RendezvousHash.score(item: item, candidate: candidates[$0], weight: weights[$0])
            }
            wins[scores.indices.max { scores[$0] < scores[$1] }!] += 1
        }
        let total = weights.reduce(0, +)
        for (index, weight) in weights.enumerated() {
            let share = Double(wins[index]) / Double(items)
            #expect(abs(share - weight / total) < 0.02, "candidate \(index): \(share) of wins, \(wins)")
        }
    }
}
