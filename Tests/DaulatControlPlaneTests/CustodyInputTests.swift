import DaulatCore
import DaulatTestSupport
import Foundation
import Testing

/// Wrapped keys registered with an object, unwrap requests and custodians: bad input is a 4xx with its
/// code, never a crash, and changes nothing.
@Suite("Custody: bad input")
struct CustodyInputTests {
    /// A wrapped key as a client would send it; the control plane cannot open it, only check its shape.
    static func key(
        custodian: String = "id-custodian-1", recipient: String, threshold: Int = 1, shareIndex: Int = 0,
        extra: String = ""
    ) -> String {
        let encapsulated = Data([4] + [UInt8](repeating: 7, count: 64)).base64EncodedString()
        let ciphertext = Data(repeating: 9, count: 48).base64EncodedString()
        return
            #"{"custodianID":"\#(custodian)","keyID":"dk-test","shareIndex":\#(shareIndex),"threshold":\#(threshold),"recipientKeyID":"\#(recipient)","encapsulatedKey":"\#(encapsulated)","ciphertext":"\#(ciphertext)"\#(extra)}"#
    }

    static func object(_ keys: [String]) -> String {
        #"{"id":"obj-0123456789abcdef0123","sha256":"\#(String(repeating: "ab", count: 32))","sizeBytes":10,"keys":[\#(keys.joined(separator: ","))]}"#
    }

    @Test("wrapped keys of a bad shape, to a silent custodian or one abroad, are refused and store nothing")
    func badKeys() async throws {
        try await APIHarness.run(.sqlite) { api in
            let dataset = try await api.register("census").dataset.id
            let path = "/v1/datasets/\(dataset)/objects"
            let recipient = "id-custodian-1/\(dataset)/v1"
            let before = try await api.stateFingerprint()
            func refused(_ keys: [String], _ status: Int, _ code: String) async throws {
                let reply = try await api.admin(.post, path, json: Self.object(keys))
                #expect(reply.status == status, "\(String(decoding: reply.body, as: UTF8.self))")
                #expect(reply.errorCode == code)
                #expect(try await api.store.objects(datasetID: dataset).isEmpty)
                #expect(try await api.stateFingerprint() == before)
            }
            // No heartbeat yet: a custodian that is down (or revoked) is given no new keys.
            try await refused([Self.key(recipient: recipient)], 422, "key_holder_not_reporting")
            for custodian in ["id-custodian-1", "sg-custodian-1"] {
                try await api.store.recordCustodianHeartbeat(
                    CustodianHeartbeat(custodianID: custodian, at: Date(), url: "https://127.0.0.1:1"))
            }
            // One key cannot be a split: neither 2-of-1 nor a threshold of 0.
            try await refused([Self.key(recipient: recipient, threshold: 2, shareIndex: 1)], 400, "invalid_field")
            try await refused([Self.key(recipient: recipient, threshold: 0)], 400, "invalid_field")
            // Versions are spelt one way only, as custodians read them.
            try await refused([Self.key(recipient: "id-custodian-1/\(dataset)/v01")], 400, "invalid_field")
            try await refused([Self.key(recipient: "id-custodian-1/ds-other/v1")], 400, "invalid_field")
            try await refused([Self.key(recipient: recipient, extra: #","treshold":1"#)], 400, "unknown_field")
            // Keys of Indonesian restricted data stay home: not Singapore's custodian.
            try await refused(
                [Self.key(custodian: "sg-custodian-1", recipient: "sg-custodian-1/\(dataset)/v1")], 422,
                "key_holder_not_allowed")
            try await refused(
                [Self.key(custodian: "xx-nobody", recipient: "xx-nobody/\(dataset)/v1")], 404, "not_found")
        }
    }

    @Test(
        "keys are held as the policy's keySplit says: whole keys for a split dataset and splits for a whole one are refused"
    )
    func splitAsThePolicySays() async throws {
        try await APIHarness.run(.sqlite) { api in
            for custodian in ["id-custodian-1", "sg-custodian-1", "my-custodian-1"] {
                try await api.store.recordCustodianHeartbeat(
                    CustodianHeartbeat(custodianID: custodian, at: Date(), url: "https://127.0.0.1:1"))
            }
            // Bad splits never make a dataset.
            let registration = #"{"name":"x","classification":"public","home":"ID","ownerAgency":"bps","policy":"#
            for (split, status, code) in [
                (#"{"threshold":1,"shares":3}"#, 422, "inconsistent_policy"),
                (#"{"threshold":4,"shares":3}"#, 422, "inconsistent_policy"),
                (#"{"threshold":2,"shares":17}"#, 422, "inconsistent_policy"),
                // Public keys may be held across ASEAN only: three states, not four.
                (#"{"threshold":2,"shares":4}"#, 422, "inconsistent_policy"),
                (#"{"threshold":2}"#, 400, "invalid_field"),
                (#"{"threshold":2,"shares":3,"share":3}"#, 400, "unknown_field"),
            ] {
                let before = try await api.stateFingerprint()
                let reply = try await api.admin(.post, "/v1/datasets", json: registration + #"{"keySplit":\#(split)}}"#)
                #expect(
                    reply.status == status && reply.errorCode == code,
                    "\(split): \(String(decoding: reply.body, as: UTF8.self))")
                #expect(try await api.stateFingerprint() == before)
            }
            let split = try await api.register(
                "trade", classification: "public", policy: #"{"keySplit":{"threshold":2,"shares":3}}"#
            ).dataset.id
            let whole = try await api.register("open-data", classification: "public").dataset.id
            let plan = try await api.admin(.get, "/v1/datasets/\(split)/custody")
            let planned = try JSONSerialization.jsonObject(with: plan.body) as? [String: Any]
            #expect(planned?["threshold"] as? Int == 2)
            #expect(
                (planned?["custodians"] as? [[String: Any]])?.compactMap { $0["custodianID"] as? String }
                    == ["id-custodian-1", "my-custodian-1", "sg-custodian-1"], "home first, then the others")

            func shares(of dataset: String, threshold: Int, count: Int) -> [String] {
                ["id-custodian-1", "my-custodian-1", "sg-custodian-1"].prefix(count).enumerated().map {
                    Self.key(
                        custodian: $0.element, recipient: "\($0.element)/\(dataset)/v1", threshold: threshold,
                        shareIndex: threshold == 1 ? 0 : $0.offset + 1)
                }
            }
            for (dataset, keys) in [
                (split, shares(of: split, threshold: 1, count: 1)),
                (split, shares(of: split, threshold: 1, count: 3)),
                (split, shares(of: split, threshold: 2, count: 2)),
                (split, shares(of: split, threshold: 3, count: 3)),
            ] {
                let before = try await api.stateFingerprint()
                let reply = try await api.admin(.post, "/v1/datasets/\(dataset)/objects", json: Self.object(keys))
                #expect(reply.status == 422 && reply.errorCode == "key_split_mismatch", "\(reply.errorMessage ?? "")")
                #expect(try await api.stateFingerprint() == before)
            }
            // A split where the policy holds keys whole lets no single custodian open it: refused too.
            let reply = try await api.admin(
                .post, "/v1/datasets/\(whole)/objects", json: Self.object(shares(of: whole, threshold: 2, count: 2)))
            #expect(reply.status == 422 && reply.errorCode == "key_split_mismatch", "\(reply.errorMessage ?? "")")
            // The split the policy asks for passes every check of keys; with no agent to take the bytes
            // the object is not registered (end-to-end tests upload one).
            let accepted = try await api.admin(
                .post, "/v1/datasets/\(split)/objects", json: Self.object(shares(of: split, threshold: 2, count: 3)))
            #expect(
                accepted.status == 503 && accepted.errorCode == "no_agent_available", "\(accepted.errorMessage ?? "")")
        }
    }

    @Test("a rotation is refused for a custodian holding none of the dataset's keys, and for unknown ones")
    func rotationRefusals() async throws {
        try await APIHarness.run(.sqlite) { api in
            let dataset = try await api.register("census").dataset.id
            try await api.addObject("obj-0123456789abcdef0123", of: dataset)
            let body = #"{"datasetID":"\#(dataset)"}"#
            #expect(
                try await api.admin(.post, "/v1/custodians/sg-custodian-1/rotate", json: body).errorCode
                    == "no_keys_held")
            #expect(try await api.admin(.post, "/v1/custodians/xx-nobody/rotate", json: body).status == 404)
            #expect(
                try await api.admin(.post, "/v1/custodians/id-custodian-1/rotate", json: #"{"datasetID":"ds-nope"}"#)
                    .status == 404)
            let owner = try await api.issueToken(role: "owner", agency: "bps")
            #expect(
                try await api.send(.post, "/v1/custodians/id-custodian-1/rotate", token: owner, json: body).status
                    == 403)
            #expect(try await api.admin(.post, "/v1/custodians/id-custodian-1/rotate", json: body).status == 201)
            #expect(
                try await api.admin(.post, "/v1/custodians/id-custodian-1/rotate", json: body).status == 409,
                "one at a time")
        }
    }

    @Test("an unwrap request with an overlong reference is refused before anything is audited")
    func overlongReference() async throws {
        try await APIHarness.run(.sqlite) { api in
            let dataset = try await api.register("census").dataset.id
            try await api.store.addObject(
                StoredObject(
                    id: "obj-0123456789abcdef0123", datasetID: dataset, sha256: String(repeating: "ab", count: 32),
                    sizeBytes: 10, createdAt: CanonicalJSON.rounded(Date())),
                keys: [], actor: "test")
            let before = try await api.stateFingerprint()
            let reply = try await api.admin(
                .post, "/v1/datasets/\(dataset)/objects/obj-0123456789abcdef0123/unwrap",
                json: try api.unwrapBody(
                    dataset, object: "obj-0123456789abcdef0123", for: .regulatorOrder,
                    reference: String(repeating: "r", count: 201), member: false)
            )
            #expect(
                reply.status == 400 && reply.errorCode == "invalid_field",
                "\(String(decoding: reply.body, as: UTF8.self))")
            #expect(try await api.stateFingerprint() == before)
        }
    }

    @Test("a custodian added twice is a conflict naming it, whatever the database", arguments: StoreKind.allCases)
    func duplicateCustodian(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let before = try await api.stateFingerprint()
            let reply = try await api.admin(
                .post, "/v1/custodians", json: #"{"id":"id-custodian-1","jurisdiction":"ID"}"#)
            #expect(reply.status == 409 && reply.errorCode == "conflict")
            #expect(reply.errorMessage == "custodian 'id-custodian-1' already exists")
            #expect(try await api.stateFingerprint() == before)
        }
    }
}
