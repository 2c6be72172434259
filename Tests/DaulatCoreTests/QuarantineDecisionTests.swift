import DaulatCore
import Foundation
import Testing

@Suite("A home state's decision about a quarantined copy")
struct QuarantineDecisionTests {
    static let evacuation = Evacuation(
        id: "evac-1", objectID: "obj-1", datasetID: "ds-1", ownerAgency: "govtech", home: Fixture.code("SG"),
        hostID: "id-jkt-1-a", siteID: "id-jkt-1", jurisdiction: Fixture.code("ID"), reason: "test",
        startedAt: Fixture.now, deadline: Fixture.now.addingTimeInterval(3), quarantined: true)

    static func decision(
        _ action: QuarantineAction, until: Date? = nil, by state: String = "SG", host: String = "id-jkt-1-a"
    ) -> QuarantineDecision {
        QuarantineDecision(
            evacuationID: "evac-1", objectID: "obj-1", hostID: host, jurisdiction: Fixture.code(state),
            action: action, until: until, issuedAt: Fixture.now.addingTimeInterval(60))
    }

    @Test("it is about one copy, by the dataset's home state, and names a date only to keep it, at most three years on")
    func shape() throws {
        #expect(Self.decision(.destroy).isAbout(Self.evacuation))
        #expect(!Self.decision(.destroy, by: "ID").isAbout(Self.evacuation), "the host state is not the home")
        #expect(!Self.decision(.destroy, host: "id-jkt-1-b").isAbout(Self.evacuation))
        try Self.decision(.destroy).validate()
        try Self.decision(.keep, until: Fixture.now.addingTimeInterval(86_400)).validate()
        for refused in [
            Self.decision(.keep),
            Self.decision(.keep, until: Fixture.now),
            Self.decision(.keep, until: Fixture.now.addingTimeInterval(4 * 365 * 86_400)),
            Self.decision(.destroy, until: Fixture.now.addingTimeInterval(86_400)),
        ] {
            #expect(throws: DomainError.self) { try refused.validate() }
        }
    }

    @Test(
        "kept, the copy is due by the state's date and no longer late; condemned, it goes only while a copy that stays exists"
    )
    func effects() {
        var late = Self.evacuation
        late.deadlineMissedAt = Fixture.now.addingTimeInterval(4)
        let until = Fixture.now.addingTimeInterval(86_400)
        let kept = late.decided(Self.decision(.keep, until: until), signed: "text")
        #expect(kept.deadline == until && kept.deadlineMissedAt == nil && kept.signedDecision == "text")
        #expect(!kept.isToBeDestroyed && kept.state == .quarantined)
        let condemned = late.decided(Self.decision(.destroy), signed: "text")
        #expect(condemned.isToBeDestroyed && condemned.deadline == late.deadline)
        #expect(!condemned.ended(at: Fixture.now.addingTimeInterval(10)).isToBeDestroyed)

        #expect(ReleaseRule.mayDestroy(copyOn: "a", holders: ["a", "b"], condemned: ["a"]))
        #expect(!ReleaseRule.mayDestroy(copyOn: "a", holders: ["a"], condemned: ["a"]), "never the last copy")
        #expect(!ReleaseRule.mayDestroy(copyOn: "a", holders: ["a", "b"], condemned: ["a", "b"]), "nor the last two")
        #expect(!ReleaseRule.mayDestroy(copyOn: "b", holders: ["a", "b"], condemned: ["a"]), "nor one not condemned")
    }
}
