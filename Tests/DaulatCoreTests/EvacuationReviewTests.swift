import DaulatCore
import Foundation
import Testing

@Suite("Evacuation review: every copy judged against where its dataset may be now")
struct EvacuationReviewTests {
    let census = Fixture.dataset()
    let suspended = PolicyEvaluator(
        alliance: Fixture.alliance,
        agreements: Fixture.agreements.map { agreement in
            var agreement = agreement
            if agreement.id == "id-sg-restricted" { agreement.status = .suspended }
            return agreement
        })
    let copies = [
        CopyHolding(objectID: "obj-1", datasetID: "census-2025", sizeBytes: 10, hostID: "id-jkt-1-a"),
        CopyHolding(objectID: "obj-1", datasetID: "census-2025", sizeBytes: 10, hostID: "sg-sin-1-a"),
    ]

    func verdicts(_ evaluator: PolicyEvaluator, hasAllowedPlace: Bool = true, deadline: Int = 3600) throws -> [String:
        StorageVerdict]
    {
        [
            census.id: StorageVerdict(
                policy: try evaluator.evaluate(census, at: Fixture.now), ownerAgency: census.ownerAgency,
                hasAllowedPlace: hasAllowedPlace, evacuationDeadlineSeconds: deadline)
        ]
    }

    func review(
        _ verdicts: [String: StorageVerdict], open: [Evacuation] = [], copies: [CopyHolding]? = nil,
        topology: Topology = Fixture.topology, at time: Date = Fixture.now
    ) -> [EvacuationChange] {
        var next = 0
        var review = EvacuationReview(
            verdicts: verdicts, topology: topology, open: open, at: time,
            newID: {
                next += 1
                return "evac-\(next)"
            })
        // One copy at a time, as if each were a page of its own: the review may not depend on seeing all at once.
        return (copies ?? self.copies).flatMap { review.review([$0]) } + review.finish()
    }

    @Test("allowed copies open nothing")
    func allowedCopies() throws {
        #expect(review(try verdicts(Fixture.evaluator)).isEmpty)
    }

    @Test(
        "an agreement suspended opens one evacuation for the copy abroad, with the classification's deadline and the reason"
    )
    func agreementSuspended() throws {
        let changes = review(try verdicts(suspended, deadline: 600))
        #expect(changes.map(\.event) == [.started])
        let evacuation = try #require(changes.first?.evacuation)
        #expect(evacuation.hostID == "sg-sin-1-a" && evacuation.jurisdiction == Fixture.code("SG"))
        #expect(evacuation.state == .moving && evacuation.quarantinedSince == nil)
        #expect(evacuation.deadline == Fixture.now.addingTimeInterval(600))
        #expect(evacuation.reason.hasPrefix("SG: "), "\(evacuation.reason)")
        #expect(evacuation.ownerAgency == "agency" && evacuation.home == Fixture.code("ID"))
        // Reviewing again with the evacuation open changes nothing.
        #expect(review(try verdicts(suspended, deadline: 600), open: [evacuation]).isEmpty)
    }

    @Test("with no allowed place the copy is quarantined, and the quarantine lifts when a place appears")
    func quarantine() throws {
        let started = try #require(review(try verdicts(suspended, hasAllowedPlace: false)).first)
        #expect(started.event == .started && started.evacuation.state == .quarantined)
        #expect(started.evacuation.quarantinedSince == Fixture.now)
        let later = Fixture.now.addingTimeInterval(60)
        let lifted = review(try verdicts(suspended), open: [started.evacuation], at: later)
        #expect(lifted.map(\.event) == [.quarantineLifted])
        #expect(lifted.first?.evacuation.state == .moving && lifted.first?.evacuation.quarantinedSince == nil)
        let again = review(try verdicts(suspended, hasAllowedPlace: false), open: [lifted[0].evacuation], at: later)
        #expect(again.map(\.event) == [.quarantined])
    }

    @Test("a deadline that passes with the copy in place is recorded once; an end after it counts as missed")
    func deadlineMissed() throws {
        let started = try #require(review(try verdicts(suspended, deadline: 60)).first).evacuation
        let late = Fixture.now.addingTimeInterval(61)
        let missed = review(try verdicts(suspended, deadline: 60), open: [started], at: late)
        #expect(missed.map(\.event) == [.deadlineMissed])
        let marked = missed[0].evacuation
        #expect(marked.deadlineMissedAt == late && marked.isOpen)
        #expect(review(try verdicts(suspended, deadline: 60), open: [marked], at: late).isEmpty)
        // The end after the deadline counts as missed (a release ends it in the store).
        #expect(marked.ended(at: late).state == .missed && marked.ended(at: late).endedAt == late)
    }

    @Test(
        "a copy released by the deadline ends met; one vanished without a release is lost; one allowed again is withdrawn"
    )
    func endings() throws {
        let started = try #require(review(try verdicts(suspended)).first).evacuation
        let soon = Fixture.now.addingTimeInterval(30)
        #expect(started.ended(at: soon).state == .met)
        // A copy whose record vanished without a release (lost from its host, or its dataset deleted)
        // did not leave by evacuation: it is recorded as lost, not met.
        let gone = review(try verdicts(suspended), open: [started], copies: [copies[0]], at: soon)
        #expect(gone.map(\.event) == [.lost] && gone.first?.evacuation.state == .lost)
        let back = review(try verdicts(Fixture.evaluator), open: [started], at: soon)
        #expect(back.map(\.event) == [.withdrawn] && back.first?.evacuation.state == .withdrawn)
        #expect(back.first?.evacuation.endedAt == soon)
    }

    @Test("a copy whose dataset the verdicts do not cover is neither judged nor taken for gone")
    func unjudgedCopy() throws {
        let started = try #require(review(try verdicts(suspended)).first).evacuation
        #expect(review([:], open: [started]).isEmpty)
    }

    @Test("copies on a draining host are evacuated even where the dataset may be stored")
    func draining() throws {
        var topology = Fixture.topology
        for index in topology.hosts.indices where topology.hosts[index].id == "id-jkt-1-a" {
            topology.hosts[index].status = .draining
        }
        let changes = review(try verdicts(Fixture.evaluator), topology: topology)
        #expect(changes.map(\.evacuation.hostID) == ["id-jkt-1-a"])
        #expect(changes.first?.evacuation.reason == "host id-jkt-1-a is being drained")
    }

    @Test("a copy at another state's data embassy is disallowed though its jurisdiction is allowed")
    func foreignEmbassy() throws {
        let estonian = Fixture.dataset("ee-registry", home: "EE", policy: ResidencyPolicy(dataEmbassyAllowed: true))
        let policy = try Fixture.evaluator.evaluate(estonian, at: Fixture.now)
        let luxembourgish = Fixture.dataset("lu-cadastre", home: "LU", classification: "internal")
        let verdicts = [
            estonian.id: StorageVerdict(
                policy: policy, ownerAgency: "ria", hasAllowedPlace: true, evacuationDeadlineSeconds: 60),
            luxembourgish.id: StorageVerdict(
                policy: try Fixture.evaluator.evaluate(luxembourgish, at: Fixture.now), ownerAgency: "ctie",
                hasAllowedPlace: true, evacuationDeadlineSeconds: 60),
        ]
        let changes = review(
            verdicts,
            copies: [
                CopyHolding(objectID: "obj-ee", datasetID: estonian.id, sizeBytes: 10, hostID: "lu-ee-embassy-1-a"),
                CopyHolding(
                    objectID: "obj-lu", datasetID: luxembourgish.id, sizeBytes: 10, hostID: "lu-ee-embassy-1-a"),
            ])
        #expect(changes.map(\.evacuation.objectID) == ["obj-lu"], "\(changes)")
    }
}
