import DaulatCore
import Foundation
import Testing

/// The state at a past instant, replayed from audit entries: later entries change nothing, a release
/// or a deletion ends copies, an agreement is as its last entry by then left it; and an evacuation as
/// it then stood.
@Suite("Residency as at a past instant")
struct ResidencyReplayTests {
    static let dataset = Dataset(
        id: "ds-census", name: "census", ownerAgency: "bps", home: Fixture.code("ID"), classification: "restricted",
        policy: ResidencyPolicy(), createdAt: Fixture.milliseconds(1_000), updatedAt: Fixture.milliseconds(1_000))
    static let object = StoredObject(
        id: "obj-1", datasetID: "ds-census", sha256: String(repeating: "a", count: 64), sizeBytes: 42,
        createdAt: Fixture.milliseconds(2_000))

    static func entry(
        _ sequence: Int64, at milliseconds: Int64, _ action: String, kind: String = "dataset",
        id: String = "ds-census", before: String? = nil, after: String? = nil
    ) -> AuditEntry {
        AuditEntry(
            sequence: sequence, at: Fixture.milliseconds(milliseconds), actor: "test", action: action,
            subjectKind: kind, subjectID: id, before: before, after: after)
    }

    static func copy(_ host: String) -> String { #"{"host":"\#(host)","object":"obj-1"}"# }

    static var log: [AuditEntry] {
        var suspended = Fixture.idSgRestricted
        suspended.status = .suspended
        return [
            entry(
                1, at: 500, "agreement.created", kind: "agreement", id: Fixture.idSgRestricted.id,
                after: try! CanonicalJSON.encode(Fixture.idSgRestricted)),
            entry(2, at: 1_000, "dataset.registered", after: try! CanonicalJSON.encode(dataset)),
            entry(
                3, at: 2_000, "object.registered", after: #"{"keys":[],"object":\#(try! CanonicalJSON.encode(object))}"#
            ),
            entry(4, at: 3_000, "object.copy_stored", after: copy("id-jkt-1-a")),
            entry(5, at: 3_000, "object.copy_stored", after: copy("sg-sin-1-a")),
            entry(
                6, at: 5_000, "agreement.suspended", kind: "agreement", id: Fixture.idSgRestricted.id,
                after: try! CanonicalJSON.encode(suspended)),
            entry(7, at: 6_000, "object.copy_released", before: copy("sg-sin-1-a")),
            entry(8, at: 9_000, "dataset.deleted", before: try! CanonicalJSON.encode(dataset)),
        ]
    }

    static func replay(at milliseconds: Int64) -> ResidencyReplay {
        var replay = ResidencyReplay(at: Fixture.milliseconds(milliseconds))
        for entry in log { replay.apply(entry) }
        return replay
    }

    @Test("copies, datasets and agreements are those of the instant asked, whatever came after")
    func replayed() {
        #expect(Self.replay(at: 999).heldCopies.isEmpty && Self.replay(at: 999).datasets.isEmpty)
        let both = Self.replay(at: 4_000)
        #expect(both.heldCopies.map(\.hostID) == ["id-jkt-1-a", "sg-sin-1-a"])
        #expect(both.heldCopies.allSatisfy { $0.object.sizeBytes == 42 && $0.dataset.home == Fixture.code("ID") })
        #expect(both.agreements[Fixture.idSgRestricted.id]?.status == Fixture.idSgRestricted.status)
        #expect(Self.replay(at: 5_500).agreements[Fixture.idSgRestricted.id]?.status == .suspended)
        #expect(Self.replay(at: 7_000).heldCopies.map(\.hostID) == ["id-jkt-1-a"])
        let deleted = Self.replay(at: 10_000)
        #expect(deleted.heldCopies.isEmpty && deleted.datasets.isEmpty && deleted.objects.isEmpty)
    }

    @Test("evacuations, hosts and objects recorded the earlier way are as their entries then left them")
    func evacuationsHostsAndOlderEntries() throws {
        let opened = Evacuation(
            id: "ev-1", objectID: "obj-1", datasetID: "ds-census", ownerAgency: "bps", home: Fixture.code("ID"),
            hostID: "sg-sin-1-a", siteID: "sg-sin-1", jurisdiction: Fixture.code("SG"), reason: "suspended",
            startedAt: Fixture.milliseconds(5_000), deadline: Fixture.milliseconds(8_000), quarantined: true)
        let ended = opened.ended(at: Fixture.milliseconds(6_000))
        var moved = try #require(Fixture.hosts.first)
        moved.siteID = "elsewhere"
        let older = StoredObject(
            id: "obj-2", datasetID: "ds-census", sha256: String(repeating: "b", count: 64), sizeBytes: 7,
            createdAt: Fixture.milliseconds(2_500))
        let later: [AuditEntry] = [
            Self.entry(20, at: 2_500, "object.registered", after: try CanonicalJSON.encode(older)),
            Self.entry(21, at: 3_000, "object.copy_stored", after: #"{"host":"id-jkt-1-a","object":"obj-2"}"#),
            Self.entry(22, at: 5_000, "evacuation.opened", after: try CanonicalJSON.encode(opened)),
            Self.entry(
                23, at: 6_000, "evacuation.met", before: try CanonicalJSON.encode(opened),
                after: try CanonicalJSON.encode(ended)),
            Self.entry(
                24, at: 7_000, "host.updated", kind: "host", id: moved.id, after: try CanonicalJSON.encode(moved)),
        ]
        func replay(at milliseconds: Int64) -> ResidencyReplay {
            var replay = ResidencyReplay(at: Fixture.milliseconds(milliseconds))
            for entry in (Self.log.prefix(5) + later).sorted(by: { $0.sequence < $1.sequence }) { replay.apply(entry) }
            return replay
        }
        #expect(replay(at: 4_000).evacuations.isEmpty)
        let quarantined = replay(at: 5_500).evacuations["ev-1"]
        #expect(quarantined?.state == .quarantined && quarantined?.isOpen == true, "refused for reads then")
        #expect(replay(at: 6_500).evacuations["ev-1"]?.state == .met)
        #expect(replay(at: 6_500).hosts[moved.id] == nil && replay(at: 7_500).hosts[moved.id]?.siteID == "elsewhere")
        #expect(replay(at: 4_000).heldCopies.map(\.object.id).contains("obj-2"), "an object recorded without its keys")
    }
}
