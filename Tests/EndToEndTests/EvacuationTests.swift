import AsyncHTTPClient
import DaulatCore
import DaulatTestSupport
import Foundation
import NIOCore
import NIOFoundationCompat
import Testing

extension EndToEnd {
    /// Agreements suspended and sites drained under real agents: copies leave disallowed places only
    /// once replaced, within the deadline or recorded late, and are quarantined when nowhere may take them.
    @Suite("End to end: evacuation and quarantine", .serialized)
    struct EvacuationTests {
        struct Listed: Decodable { let evacuations: [Evacuation] }

        func evacuations(_ environment: [String: String]) async throws -> [Evacuation] {
            let listed = try await DaulatProcess.run(
                ["evacuation", "list", "--output", "json"], environment: environment)
            #expect(listed.status == 0, "\(listed.output)")
            return try CanonicalJSON.decoder().decode(Listed.self, from: Data(listed.output.utf8)).evacuations
        }

        /// `decision` handed in for evacuation `id` as the operator would, over HTTPS: the answer's status and body.
        static func handIn(_ decision: String, about id: String, setup: ServerSetup, running: ServerSetup.Running)
            async throws -> (status: UInt, body: String)
        {
            let client = try setup.httpsClient()
            defer { _ = client.shutdown() }
            var request = HTTPClientRequest(url: "https://127.0.0.1:\(running.port)/v1/evacuations/\(id)/decision")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(try setup.adminToken())")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(["decision": decision])))
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (response.status.code, String(buffer: body))
        }

        func upload(_ dataset: String, setup: ServerSetup, environment: [String: String]) async throws {
            let file = setup.directory.appendingPathComponent("\(dataset).sealed")
            try Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: file)
            let uploaded = try await DaulatProcess.run(
                ["dataset", "put", dataset, file.path], environment: environment)
            #expect(uploaded.status == 0, "\(uploaded.output)")
        }

        @Test(
            "an agreement suspended: the copy abroad is replaced at home, then deleted before the deadline and recorded as met; no copy ever lands where it may not be"
        )
        func agreementSuspended() async throws {
            try await ServerSetup.run { setup in
                let running = try await setup.startSeeded()
                defer { running.process.stop() }
                let custodian = try await setup.startCustodian("id-custodian-1", running: running)
                defer { custodian.stop() }
                let environment = running.environment
                // With Batam drained, Indonesia has one site: a second distinct site must be Singapore.
                #expect(
                    try await DaulatProcess.run(["site", "drain", "id-btm-1"], environment: environment).status == 0)
                let registered = try await DaulatProcess.run(
                    [
                        "dataset", "register", "--name", "census", "--classification", "restricted", "--home", "ID",
                        "--owner-agency", "bps", "--replicas", "2", "--min-sites", "2",
                    ], environment: environment)
                #expect(registered.status == 0, "\(registered.output)")
                var agents: [DaulatProcess] = []
                defer { DaulatProcess.stop(agents) }
                for host in ["id-jkt-1-a", "id-jkt-1-b", "sg-sin-1-a", "my-kul-1-a"] {
                    agents.append(try await setup.startAgent(host, running: running))
                }
                try await Task.sleep(for: .seconds(2))
                try await upload("census", setup: setup, environment: environment)
                #expect(
                    try await EndToEnd.eventually(20) {
                        try await EndToEnd.holders(of: "census", environment: environment).count == 2
                    })
                let before = try await EndToEnd.holders(of: "census", environment: environment)
                #expect(before.contains("sg-sin-1-a"), "held on \(before)")

                let suspended = try await DaulatProcess.run(
                    [
                        "agreement", "suspend", "id-sg-restricted", "--authority-key",
                        running.authorityKeys["SG"] ?? "-",
                    ],
                    environment: environment)
                #expect(suspended.status == 0, "\(suspended.output)")
                // Malaysia may never hold it; Singapore may keep its copy only until it is replaced,
                // and never gains one.
                let sgBlobs = setup.blobs(of: "sg-sin-1-a").count
                let residencyHolds = {
                    #expect(setup.blobs(of: "my-kul-1-a").isEmpty, "a copy landed in Malaysia")
                    #expect(setup.blobs(of: "sg-sin-1-a").count <= sgBlobs, "Singapore gained a copy")
                }
                let evacuated = try await EndToEnd.eventually(30, check: residencyHolds) {
                    try await evacuations(environment).first?.state == .met
                }
                let records = try await evacuations(environment)
                #expect(evacuated, "\(records)")
                let record = try #require(records.first)
                #expect(records.count == 1 && record.hostID == "sg-sin-1-a" && record.jurisdiction.rawValue == "SG")
                #expect(record.reason.contains("id-sg-restricted"), "\(record.reason)")
                #expect(record.deadline == record.startedAt.addingTimeInterval(86_400))
                #expect(
                    try await EndToEnd.holders(of: "census", environment: environment) == ["id-jkt-1-a", "id-jkt-1-b"])
                #expect(setup.blobs(of: "sg-sin-1-a").isEmpty, "Singapore's agent deleted its copy")
                #expect(setup.blobs(of: "id-jkt-1-a").count == 1 && setup.blobs(of: "id-jkt-1-b").count == 1)
                let metrics = try await DaulatProcess.run(
                    ["evacuation", "wait", "--timeout", "5"], environment: environment)
                #expect(metrics.status == 0, "nothing left moving: \(metrics.output)")
            }
        }

        @Test(
            "with no allowed place left the copies are quarantined, refused for reads and late; their home state alone decides to destroy one or keep one until a date; when a place returns the kept one moves there"
        )
        func quarantine() async throws {
            try await ServerSetup.run { setup in
                // The example alliance with a three-second deadline for restricted data.
                let alliance = setup.directory.appendingPathComponent("alliance.yaml")
                let example = try String(contentsOfFile: EndToEnd.DurabilityTests.exampleAlliancePath, encoding: .utf8)
                let shortDeadline = example.replacingOccurrences(
                    of: "evacuationDeadlineSeconds: 86400", with: "evacuationDeadlineSeconds: 3")
                #expect(shortDeadline != example)
                try shortDeadline.write(to: alliance, atomically: true, encoding: .utf8)
                let running = try await setup.startSeeded(alliance: alliance.path)
                defer { running.process.stop() }
                let custodian = try await setup.startCustodian("sg-custodian-1", running: running)
                defer { custodian.stop() }
                // Reads are Singapore's GovTech's, signed with its member key.
                let govtech = try setup.states.writeMember("govtech", of: "SG", to: setup.directory)
                var environment = running.environment
                environment["DAULAT_MEMBER_KEY"] = govtech.key
                environment["DAULAT_MEMBER_CERTIFICATE"] = govtech.certificate
                // Singapore's restricted registry, kept at home and (under the agreement) in Indonesia.
                let registered = try await DaulatProcess.run(
                    [
                        "dataset", "register", "--name", "registry", "--classification", "restricted", "--home", "SG",
                        "--owner-agency", "govtech", "--replicas", "2", "--min-sites", "2",
                    ], environment: environment)
                #expect(registered.status == 0, "\(registered.output)")
                var agents: [DaulatProcess] = []
                defer { DaulatProcess.stop(agents) }
                for host in ["id-jkt-1-a", "id-jkt-1-b", "id-btm-1-a", "sg-sin-1-a"] {
                    agents.append(try await setup.startAgent(host, running: running))
                }
                try await Task.sleep(for: .seconds(2))
                try await upload("registry", setup: setup, environment: environment)
                #expect(
                    try await EndToEnd.eventually(20) {
                        try await EndToEnd.holders(of: "registry", environment: environment).count == 2
                    })

                // Singapore's only site drained, then the agreement suspended: no allowed place is left.
                #expect(
                    try await DaulatProcess.run(["site", "drain", "sg-sin-1"], environment: environment).status == 0)
                #expect(
                    try await EndToEnd.eventually(20) {
                        let held = try await EndToEnd.holders(of: "registry", environment: environment)
                        return !held.contains("sg-sin-1-a") && held.count == 2
                    }, "the drained site's copy moved to Indonesia")
                let suspended = try await DaulatProcess.run(
                    [
                        "agreement", "suspend", "id-sg-restricted", "--authority-key",
                        running.authorityKeys["SG"] ?? "-",
                    ],
                    environment: environment)
                #expect(suspended.status == 0, "\(suspended.output)")
                let quarantined = try await EndToEnd.eventually(20) {
                    let open = try await evacuations(environment).filter(\.isOpen)
                    return open.count == 2 && open.allSatisfy { $0.state == .quarantined && $0.deadlineMissedAt != nil }
                }
                let records = try await evacuations(environment)
                #expect(quarantined, "\(records)")
                let read = try await DaulatProcess.run(
                    ["dataset", "get", "registry", "--to", setup.directory.appendingPathComponent("out").path],
                    environment: environment)
                #expect(read.status != 0 && read.output.contains("object_quarantined"), "\(read.output)")
                #expect(
                    try await EndToEnd.holders(of: "registry", environment: environment).count == 2,
                    "the quarantined copies are kept")

                // What becomes of them is Singapore's decision: not Indonesia's, where they are, nor the
                // operator's, who hands it in.
                let open = try await evacuations(environment).filter(\.isOpen).sorted { $0.hostID < $1.hostID }
                try #require(open.count == 2)
                let (condemned, kept) = (open[0], open[1])
                func decide(_ evacuation: String, _ options: [String], as state: String) async throws -> (
                    status: Int32, output: String
                ) {
                    try await DaulatProcess.run(
                        ["evacuation", "decide", evacuation] + options + [
                            "--authority-key", running.authorityKeys[state] ?? "-",
                        ], environment: environment)
                }
                let byIndonesia = try await decide(condemned.id, ["--destroy"], as: "ID")
                #expect(
                    byIndonesia.status != 0 && byIndonesia.output.contains("quarantine_decision_signature_invalid"),
                    "\(byIndonesia.output)")
                let tooLong = try await decide(kept.id, ["--keep-until", "2099-01-01"], as: "SG")
                #expect(
                    tooLong.status != 0 && tooLong.output.contains("invalid_quarantine_decision"), "\(tooLong.output)")
                #expect(try await evacuations(environment).allSatisfy { $0.decision == nil }, "refusals change nothing")
                let destroyed = try await decide(condemned.id, ["--destroy"], as: "SG")
                #expect(destroyed.status == 0, "\(destroyed.output)")
                #expect(
                    try await EndToEnd.eventually(20) {
                        try await EndToEnd.holders(of: "registry", environment: environment) == [kept.hostID]
                    }, "the condemned copy goes once the other stays")
                let keepUntil = CanonicalJSON.format(Date().addingTimeInterval(2 * 86_400))
                let keeping = try await decide(kept.id, ["--keep-until", keepUntil], as: "SG")
                #expect(keeping.status == 0, "\(keeping.output)")
                let decided = try await evacuations(environment)
                #expect(decided.first { $0.id == condemned.id }?.state == .missed, "\(decided)")
                let keptNow = decided.first { $0.id == kept.id }
                #expect(keptNow?.state == .quarantined && keptNow?.deadlineMissedAt == nil, "\(decided)")
                #expect(keptNow?.decision?.action == .keep && keptNow?.signedDecision != nil)
                // Singapore's own decision, handed in again: a decision replaces only an earlier one.
                let replayed = try await Self.handIn(
                    try #require(keptNow?.signedDecision), about: kept.id, setup: setup, running: running)
                #expect(replayed.status == 409 && replayed.body.contains("quarantine_decision_stale"), "\(replayed)")
                let afterEnd = try await decide(condemned.id, ["--keep-until", keepUntil], as: "SG")
                #expect(
                    afterEnd.status != 0 && afterEnd.output.contains("evacuation_not_quarantined"), "\(afterEnd.output)"
                )

                // Singapore comes back: its agent copies from the kept copy, which then leaves Indonesia, by
                // the date Singapore set.
                #expect(
                    try await DaulatProcess.run(["site", "resume", "sg-sin-1"], environment: environment).status == 0)
                #expect(
                    try await EndToEnd.eventually(30) {
                        try await EndToEnd.holders(of: "registry", environment: environment) == ["sg-sin-1-a"]
                    })
                let ended = try await evacuations(environment).filter { $0.jurisdiction.rawValue == "ID" }
                #expect(ended.count == 2, "\(ended)")
                #expect(ended.first { $0.id == condemned.id }?.state == .missed, "\(ended)")
                #expect(ended.first { $0.id == kept.id }?.state == .met, "\(ended)")
                #expect(setup.blobs(of: "sg-sin-1-a").count == 1)
                let fetched = try await DaulatProcess.run(
                    ["dataset", "get", "registry", "--to", setup.directory.appendingPathComponent("back").path],
                    environment: environment)
                #expect(fetched.status == 0, "\(fetched.output)")
            }
        }
    }
}
