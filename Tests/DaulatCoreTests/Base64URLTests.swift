import DaulatCore
import Foundation
import Testing

@Suite("Base64url")
struct Base64URLTests {
    @Test("every length round-trips, with no padding and only the URL-safe alphabet")
    func roundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<200 {
            let bytes = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let text = Base64URL.encode(bytes)
            #expect(text.count == (length * 4 + 2) / 3)
            #expect(text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            #expect(Base64URL.decode(text) == bytes)
        }
    }

    @Test("RFC 4648's examples, and the characters that make it base64url")
    func knownValues() {
        #expect(Base64URL.encode(Data("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64URL.encode(Data("fo".utf8)) == "Zm8")
        #expect(Base64URL.encode(Data([0xfb, 0xff])) == "-_8")
        #expect(Base64URL.decode("-_8") == Data([0xfb, 0xff]))
    }

    @Test("standard base64, padding and stray characters are refused")
    func refused() {
        for text in ["+/8", "Zm8=", "Zm9v YmFy", "Zm9v*", "Z"] {
            #expect(Base64URL.decode(text) == nil, "\(text)")
        }
    }
}
