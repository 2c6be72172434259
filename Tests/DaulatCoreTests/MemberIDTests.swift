import DaulatCore
import Foundation
import Testing

@Suite("Member identifiers")
struct MemberIDTests {
    @Test("INSTANCE/CLASS/MEMBER with an optional subsystem, kept as written")
    func valid() throws {
        let agency = try MemberID("ASEAN/GOV/ID-BPS")
        #expect(agency.instance == "ASEAN" && agency.memberClass == "GOV" && agency.memberCode == "ID-BPS")
        #expect(agency.subsystem == nil && agency.description == "ASEAN/GOV/ID-BPS")
        let subsystem = try MemberID("EE/GOV/70000740/rahvastikuregister_1.0")
        #expect(subsystem.subsystem == "rahvastikuregister_1.0")
        #expect(try MemberID("ASEAN/GOV/id-bps") != agency, "compared exactly, case and all")
        let encoded = try JSONEncoder().encode([agency])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["ASEAN\/GOV\/ID-BPS"]"#)
        #expect(try JSONDecoder().decode([MemberID].self, from: encoded) == [agency])
    }

    @Test(
        "anything of another shape is refused with invalid_name",
        arguments: [
            "", "ASEAN", "ASEAN/GOV", "ASEAN/GOV/", "/GOV/ID-BPS", "ASEAN//ID-BPS", "A/B/C/D/E", "ASEAN/GOV/ID BPS",
            "ASEAN/GOV/ID-BPS\u{0}", "ASEAN/GOV/" + String(repeating: "x", count: 65), "ASEAN/GÖV/ID-BPS",
        ])
    func invalid(text: String) {
        #expect(throws: DomainError.self) { try MemberID(text) }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([MemberID].self, from: try JSONEncoder().encode([text]))
        }
    }
}
