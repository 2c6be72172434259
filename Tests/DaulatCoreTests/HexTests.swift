import DaulatCore
import Foundation
import Testing

@Suite("Hex")
struct HexTests {
    @Test("bytes become two lowercase digits each, in order")
    func encoding() {
        #expect(Hex.encode([]) == "")
        #expect(Hex.encode([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
        let every = (0...255).map(UInt8.init)
        #expect(Hex.encode(every) == every.map { String(format: "%02x", $0) }.joined())
    }
}

@Suite("Random identifiers")
struct RandomIdentifierTests {
    @Test("a random identifier is its prefix and that many hex digits, and never repeats")
    func random() throws {
        let ids = (0..<1_000).map { _ in Identifier.random(prefix: "ds-", length: 20) }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.hasPrefix("ds-") && id.count == 23)
            #expect(id.dropFirst(3).allSatisfy { $0.isHexDigit && !$0.isUppercase })
            try Identifier.validate(id, what: "dataset id")
        }
    }
}
