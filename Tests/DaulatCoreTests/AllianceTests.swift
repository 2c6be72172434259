import DaulatCore
import Foundation
import Testing

@Suite("Alliance rules")
struct AllianceTests {
    func alliance(groups: [JurisdictionGroup]) -> Alliance {
        Alliance(jurisdictions: Fixture.jurisdictions, groups: groups, classifications: Fixture.classifications)
    }

    // MARK: Groups

    @Test("the example alliance is valid")
    func exampleValid() throws {
        try Fixture.alliance.validate()
        #expect(Fixture.alliance.jurisdictionCodes.map(\.rawValue) == ["EE", "FI", "ID", "LU", "MY", "SG"])
    }

    @Test("a group's members include those of the groups it nests")
    func nestedResolution() throws {
        #expect(try Fixture.alliance.members(ofGroup: "asean") == Fixture.codes("ID", "SG", "MY"))
        #expect(try Fixture.alliance.members(ofGroup: "nordic") == Fixture.codes("FI", "EE"))
        #expect(try Fixture.alliance.members(ofGroup: "eu") == Fixture.codes("FI", "EE", "LU"))
    }

    @Test("nesting resolves through several levels and through diamonds without calling them cycles")
    func deepAndDiamond() throws {
        let alliance = alliance(groups: [
            JurisdictionGroup(name: "north", members: ["FI"]),
            JurisdictionGroup(name: "baltic", members: ["north", "EE"]),
            JurisdictionGroup(name: "europe", members: ["baltic", "LU"]),
            JurisdictionGroup(name: "world", members: ["europe", "baltic", "north", "ID"]),
        ])
        try alliance.validate()
        #expect(try alliance.members(ofGroup: "world") == Fixture.codes("FI", "EE", "LU", "ID"))
        #expect(try alliance.members(ofGroup: "baltic") == Fixture.codes("FI", "EE"))
        #expect(alliance.groups(containing: Fixture.code("FI")) == ["baltic", "europe", "north", "world"])
        #expect(alliance.groups(containing: Fixture.code("LU")) == ["europe", "world"])
        #expect(alliance.groups(containing: Fixture.code("SG")) == [])
    }

    @Test("groups(containing:) lists direct and enclosing groups, sorted")
    func groupsContaining() {
        #expect(Fixture.alliance.groups(containing: Fixture.code("EE")) == ["eu", "nordic"])
        #expect(Fixture.alliance.groups(containing: Fixture.code("LU")) == ["eu"])
        #expect(Fixture.alliance.groups(containing: Fixture.code("ID")) == ["asean"])
    }

    @Test(
        "groups that nest in a cycle are refused",
        arguments: [
            [JurisdictionGroup(name: "loop", members: ["ID", "loop"])],
            [
                JurisdictionGroup(name: "first", members: ["ID", "second"]),
                JurisdictionGroup(name: "second", members: ["SG", "first"]),
            ],
            [
                JurisdictionGroup(name: "a", members: ["b"]),
                JurisdictionGroup(name: "b", members: ["c"]),
                JurisdictionGroup(name: "c", members: ["EE", "a"]),
            ],
        ]
    )
    func cycle(groups: [JurisdictionGroup]) {
        let alliance = alliance(groups: groups)
        expectDomainError(.groupCycle) { try alliance.validate() }
        expectDomainError(.groupCycle) { _ = try alliance.members(ofGroup: groups[0].name) }
    }

    @Test("a cycle is refused even when reached from a group outside it")
    func cycleBelowEntry() {
        let alliance = alliance(groups: [
            JurisdictionGroup(name: "entry", members: ["ID", "inner"]),
            JurisdictionGroup(name: "inner", members: ["SG", "other"]),
            JurisdictionGroup(name: "other", members: ["inner"]),
        ])
        expectDomainError(.groupCycle) { _ = try alliance.members(ofGroup: "entry") }
        #expect(alliance.groups(containing: Fixture.code("ID")) == [])
    }

    @Test(
        "a group naming something that is neither a member jurisdiction nor a group is refused",
        arguments: ["FR", "nowhere", "id", ""]
    )
    func unknownMember(member: String) {
        let alliance = alliance(groups: [JurisdictionGroup(name: "odd", members: ["ID", member])])
        expectDomainError(.unknownJurisdiction) { try alliance.validate() }
        expectDomainError(.unknownJurisdiction) { _ = try alliance.members(ofGroup: "odd") }
    }

    @Test("an unknown group name is refused")
    func unknownGroup() {
        expectDomainError(.unknownGroup) { _ = try Fixture.alliance.members(ofGroup: "mercosur") }
    }

    @Test("validate refuses duplicates and badly formed names")
    func validateShape() {
        var twiceJurisdiction = Fixture.alliance
        twiceJurisdiction.jurisdictions.append(Jurisdiction(code: Fixture.code("ID"), name: "Indonesia again"))
        expectDomainError(.duplicate) { try twiceJurisdiction.validate() }

        var twiceGroup = Fixture.alliance
        twiceGroup.groups.append(JurisdictionGroup(name: "asean", members: ["ID"]))
        expectDomainError(.duplicate) { try twiceGroup.validate() }

        var twiceClassification = Fixture.alliance
        twiceClassification.classifications.append(Fixture.publicLevel)
        expectDomainError(.duplicate) { try twiceClassification.validate() }

        var badGroupName = Fixture.alliance
        badGroupName.groups.append(JurisdictionGroup(name: "EU", members: ["LU"]))
        expectDomainError(.invalidName) { try badGroupName.validate() }

        var badClassification = Fixture.alliance
        badClassification.classifications[0].name = "Public"
        expectDomainError(.invalidName) { try badClassification.validate() }
    }

    @Test("requireJurisdiction and requireClassification know exactly the members")
    func requireLookups() throws {
        try Fixture.alliance.requireJurisdiction(Fixture.code("LU"))
        expectDomainError(.unknownJurisdiction) { try Fixture.alliance.requireJurisdiction(Fixture.code("DE")) }
        #expect(try Fixture.alliance.requireClassification("secret") == Fixture.secretLevel)
        let error = try #require(throws: DomainError.self) { try Fixture.alliance.requireClassification("cosmic") }
        #expect(error.code == .unknownClassification)
        #expect(error.message.contains("public, internal, restricted, secret"))
    }

    // MARK: Jurisdiction codes

    @Test("two upper-case ASCII letters make a jurisdiction code", arguments: ["ID", "SG", "EE", "ZZ", "AA"])
    func validCode(raw: String) throws {
        let code = try JurisdictionCode(raw)
        #expect(code.rawValue == raw)
        #expect(code.description == raw)
    }

    @Test(
        "anything else is refused as a jurisdiction code",
        arguments: ["id", "Id", "IDN", "I1", "", "I", " I", "I ", "ÎD", "ＩＤ", "1D", "I-"]
    )
    func invalidCode(raw: String) {
        expectDomainError(.invalidJurisdictionCode) { _ = try JurisdictionCode(raw) }
    }

    @Test("jurisdiction codes encode as bare strings, refuse bad input when decoded, and sort by letters")
    func codeCoding() throws {
        let codes = [Fixture.code("SG"), Fixture.code("EE"), Fixture.code("ID")]
        #expect(try CanonicalJSON.encode(codes) == #"["SG","EE","ID"]"#)
        let decoded = try CanonicalJSON.decode([JurisdictionCode].self, from: #"["LU","FI"]"#)
        #expect(decoded == [Fixture.code("LU"), Fixture.code("FI")])
        #expect(throws: DecodingError.self) { try CanonicalJSON.decode([JurisdictionCode].self, from: #"["lu"]"#) }
        #expect(throws: DecodingError.self) { try CanonicalJSON.decode(JurisdictionCode.self, from: #""IDN""#) }
        #expect(codes.sorted().map(\.rawValue) == ["EE", "ID", "SG"])
    }
}
