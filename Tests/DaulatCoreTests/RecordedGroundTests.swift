import DaulatCore
import Foundation
import Testing

@Suite("Where the states' signed records place hosts and custodians")
struct RecordedGroundTests {
    static let custodians = [
        Custodian(id: "id-custodian-1", jurisdiction: Fixture.code("ID"), identityKey: "id-custodian-1-key"),
        Custodian(id: "id-custodian-2", jurisdiction: Fixture.code("ID")),
        Custodian(id: "lu-custodian-1", jurisdiction: Fixture.code("LU")),
    ]

    static func draft(_ jurisdiction: String, topology: Topology = Fixture.topology) -> JurisdictionRecord {
        JurisdictionRecord.draft(
            of: Fixture.code(jurisdiction), topology: topology, custodians: custodians, version: 1, at: Fixture.now)
    }

    @Test("a state's draft lists exactly its sites, the hosts in them, its custodians and its embassies")
    func drafts() throws {
        let indonesia = Self.draft("ID")
        #expect(indonesia.sites == ["id-btm-1", "id-jkt-1"])
        #expect(indonesia.hosts == ["id-jkt-1-a": "id-jkt-1", "id-jkt-1-b": "id-jkt-1", "id-btm-1-a": "id-btm-1"])
        #expect(indonesia.custodians == ["id-custodian-1", "id-custodian-2"])
        // Only a key a custodian has reported is drafted for its state to pin.
        #expect(indonesia.custodianKeys == ["id-custodian-1": "id-custodian-1-key"])
        #expect(indonesia.embassiesHosted.isEmpty && indonesia.embassiesAbroad.isEmpty)
        #expect(Self.draft("LU").embassiesHosted == ["lu-ee-embassy-1": Fixture.code("EE")])
        #expect(Self.draft("EE").embassiesAbroad == ["lu-ee-embassy-1"])
        for code in ["ID", "LU", "EE", "SG"] { try Self.draft(code).validate() }
        var later = indonesia
        later.version = 7
        later.issuedAt = Fixture.now.addingTimeInterval(3_600)
        #expect(later.recordsSameGround(as: indonesia))
        var rekeyed = later
        later.hosts["id-jkt-1-c"] = "id-jkt-1"
        #expect(!later.recordsSameGround(as: indonesia))
        rekeyed.custodianKeys["id-custodian-2"] = "id-custodian-2-key"
        #expect(!rekeyed.recordsSameGround(as: indonesia), "a newly pinned key is a new record to sign")
    }

    @Test("a record signed before custodians' keys were pinned still reads, pinning none")
    func recordsWithoutKeys() throws {
        var fields =
            try JSONSerialization.jsonObject(with: try CanonicalJSON.encoder().encode(Self.draft("ID")))
            as? [String: Any] ?? [:]
        #expect(fields["custodianKeys"] != nil)
        fields["custodianKeys"] = nil
        let older = try CanonicalJSON.decoder().decode(
            JurisdictionRecord.self, from: try JSONSerialization.data(withJSONObject: fields))
        #expect(older.custodians == ["id-custodian-1", "id-custodian-2"] && older.custodianKeys.isEmpty)
    }

    @Test("a host stands where the one record that lists it says, and nowhere without one")
    func standing() throws {
        let ground = RecordedGround([Self.draft("ID"), Self.draft("MY")])
        #expect(
            try ground.standing(ofHost: "my-kul-1-a")
                == HostStanding(jurisdiction: Fixture.code("MY"), siteID: "my-kul-1", embassyOf: nil))
        #expect(try ground.standing(ofHost: "id-btm-1-a", declared: Fixture.code("ID")).siteID == "id-btm-1")
        // Singapore has signed nothing here; a host the database alone knows stands nowhere.
        #expect(throws: DomainError.self) { try ground.standing(ofHost: "sg-sin-1-a") }
        #expect(throws: DomainError.self) { try ground.standing(ofHost: "id-jkt-1-c") }
        // A host declared to stand in Indonesia that only Malaysia's record lists.
        do {
            _ = try ground.standing(ofHost: "my-kul-1-a", declared: Fixture.code("ID"))
            Issue.record("a declaration took the place of the record")
        } catch {
            #expect(error.code == .hostNotRecorded)
            #expect(error.message.contains("only the signed record of MY"), "\(error.message)")
        }
    }

    @Test("a host two records list stands nowhere until its operator declares which, and then where that one says")
    func ambiguous() throws {
        var malaysia = Self.draft("MY")
        malaysia.hosts["id-btm-1-a"] = "my-jhb-1"
        let ground = RecordedGround([Self.draft("ID"), malaysia])
        do {
            _ = try ground.standing(ofHost: "id-btm-1-a")
            Issue.record("a host both records list was placed in one of them")
        } catch {
            #expect(error.code == .hostNotRecorded)
            #expect(error.message.contains("ID and MY"), "\(error.message)")
        }
        #expect(try ground.standing(ofHost: "id-btm-1-a", declared: Fixture.code("MY")).siteID == "my-jhb-1")
        #expect(try ground.standing(ofHost: "id-btm-1-a", declared: Fixture.code("ID")).siteID == "id-btm-1")
    }

    @Test("a site is a data embassy only if both the host state and the state it serves signed it as one")
    func embassies() throws {
        let both = RecordedGround([Self.draft("LU"), Self.draft("EE")])
        #expect(try both.standing(ofHost: "lu-ee-embassy-1-a").embassyOf == Fixture.code("EE"))
        #expect(try both.standing(ofHost: "lu-bet-1-a").embassyOf == nil)
        // Luxembourg alone says so; Estonia has not signed the site as its embassy.
        #expect(try RecordedGround([Self.draft("LU")]).standing(ofHost: "lu-ee-embassy-1-a").embassyOf == nil)
        var estonia = Self.draft("EE")
        estonia.embassiesAbroad = []
        #expect(try RecordedGround([Self.draft("LU"), estonia]).standing(ofHost: "lu-ee-embassy-1-a").embassyOf == nil)
        // Estonia alone claiming a Luxembourgish site makes nothing an embassy either.
        var luxembourg = Self.draft("LU")
        luxembourg.embassiesHosted = [:]
        #expect(
            try RecordedGround([luxembourg, Self.draft("EE")]).standing(ofHost: "lu-ee-embassy-1-a").embassyOf == nil)
    }

    @Test("custodians keep keys only where their state's record lists them")
    func custodianStanding() {
        let ground = RecordedGround([Self.draft("ID"), Self.draft("LU")])
        #expect(ground.keepsKeys(custodian: "id-custodian-1", in: Fixture.code("ID")))
        #expect(!ground.keepsKeys(custodian: "id-custodian-1", in: Fixture.code("LU")))
        #expect(!ground.keepsKeys(custodian: "lu-custodian-1", in: Fixture.code("ID")))
        #expect(!ground.keepsKeys(custodian: "sg-custodian-1", in: Fixture.code("SG")))
    }

    @Test("the later of two records of one state counts")
    func latestVersion() throws {
        var newer = Self.draft("ID")
        newer.version = 2
        newer.hosts["id-jkt-1-c"] = "id-jkt-1"
        for order in [[Self.draft("ID"), newer], [newer, Self.draft("ID")]] {
            #expect(try RecordedGround(order).standing(ofHost: "id-jkt-1-c").jurisdiction == Fixture.code("ID"))
        }
    }

    @Test("a record that contradicts itself is refused")
    func invalid() {
        func refused(_ change: (inout JurisdictionRecord) -> Void) -> Bool {
            var record = Self.draft("LU")
            change(&record)
            do {
                try record.validate()
                return false
            } catch {
                return error.code == .invalidJurisdictionRecord
            }
        }
        #expect(refused { $0.version = 0 })
        #expect(refused { $0.version = Int.max })
        #expect(refused { $0.hosts["sg-sin-1-a"] = "sg-sin-1" })
        #expect(refused { $0.embassiesHosted["sg-sin-1"] = Fixture.code("EE") })
        #expect(refused { $0.embassiesHosted["lu-bet-1"] = Fixture.code("LU") })
        #expect(refused { $0.embassiesAbroad = ["lu-bet-1"] })
        // A key pinned for a custodian the record does not say keeps keys here.
        #expect(refused { $0.custodianKeys["id-custodian-1"] = "key" })
    }
}
