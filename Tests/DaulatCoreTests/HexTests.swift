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
