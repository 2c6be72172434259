import Testing

@testable import DaulatCrypto

@Suite("GF(256) arithmetic")
struct GF256Tests {
    @Test("the products FIPS-197 works through, and every element's inverse")
    func knownValues() {
        #expect(GF256.multiply(0x57, 0x83) == 0xc1)
        #expect(GF256.multiply(0x57, 0x13) == 0xfe)
        for a in UInt8(1)...255 {
            #expect(GF256.multiply(a, GF256.inverse(a)) == 1, "\(a)")
        }
    }

    @Test("multiplication commutes and distributes over addition, for every pair")
    func fieldLaws() {
        var broken: [(UInt8, UInt8)] = []
        for a in UInt8(0)...255 {
            for b in UInt8(0)...255 {
                let c = a &* 31 &+ b
                if GF256.multiply(a, b) != GF256.multiply(b, a)
                    || GF256.multiply(a, GF256.add(b, c)) != GF256.add(GF256.multiply(a, b), GF256.multiply(a, c))
                {
                    broken.append((a, b))
                }
            }
        }
        #expect(broken.isEmpty)
    }
}
