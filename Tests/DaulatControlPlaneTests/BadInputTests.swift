import DaulatTestSupport
import Foundation
import HTTPTypes
import Testing

/// Bad input gets a 4xx with a stable code and a message that says what is wrong, and changes nothing.
@Suite("Bad input")
struct BadInputTests {
    struct Case: Sendable, CustomStringConvertible {
        let description: String
        let method: String
        let path: String
        let body: String?
        let status: Int
        let code: String
        let messageContains: String
    }

    static let register = "/v1/datasets"

    static let cases: [Case] = [
        Case(
            description: "malformed JSON", method: "POST", path: register, body: #"{"name": "x","#, status: 400,
            code: "malformed_json", messageContains: "not valid JSON"),
        Case(
            description: "empty body", method: "POST", path: register, body: "", status: 400, code: "malformed_json",
            messageContains: "required"),
        Case(
            description: "JSON that is not an object", method: "POST", path: register, body: "[1,2]", status: 400,
            code: "malformed_json", messageContains: "object"),
        Case(
            description: "wrong type", method: "POST", path: register,
            body: #"{"name":7,"classification":"public","home":"ID","ownerAgency":"bps"}"#, status: 400,
            code: "invalid_field", messageContains: "'name'"),
        Case(
            description: "missing field", method: "POST", path: register,
            body: #"{"name":"x","home":"ID","ownerAgency":"bps"}"#, status: 400, code: "invalid_field",
            messageContains: "'classification' is required"),
        Case(
            description: "unknown top-level field", method: "POST", path: register,
            body: #"{"name":"x","classification":"public","home":"ID","ownerAgency":"bps","replica":3}"#, status: 400,
            code: "unknown_field", messageContains: "'replica'"),
        Case(
            description: "unknown policy field", method: "POST", path: register,
            body: #"{"name":"x","classification":"public","home":"ID","ownerAgency":"bps","policy":{"replica":3}}"#,
            status: 400, code: "unknown_field", messageContains: "policy.replica"),
        Case(
            description: "malformed jurisdiction code", method: "POST", path: register,
            body: #"{"name":"x","classification":"public","home":"Indonesia","ownerAgency":"bps"}"#, status: 400,
            code: "invalid_field", messageContains: "ISO 3166-1"),
        Case(
            description: "unknown jurisdiction", method: "POST", path: register,
            body: #"{"name":"x","classification":"public","home":"ZZ","ownerAgency":"bps"}"#, status: 422,
            code: "unknown_jurisdiction", messageContains: "ZZ"),
        Case(
            description: "unknown jurisdiction in policy", method: "POST", path: register,
            body:
                #"{"name":"x","classification":"public","home":"ID","ownerAgency":"bps","policy":{"storage":["ID","ZZ"]}}"#,
            status: 422, code: "unknown_jurisdiction", messageContains: "ZZ"),
        Case(
            description: "unknown classification", method: "POST", path: register,
            body: #"{"name":"x","classification":"top-secret","home":"ID","ownerAgency":"bps"}"#, status: 422,
            code: "unknown_classification", messageContains: "top-secret"),
        Case(
            description: "policy widening its classification", method: "POST", path: register,
            body:
                #"{"name":"x","classification":"secret","home":"ID","ownerAgency":"bps","policy":{"storage":["ID","SG"]}}"#,
            status: 422, code: "policy_contradicts_classification", messageContains: "SG"),
        Case(
            description: "policy dropping a required home replica", method: "POST", path: register,
            body:
                #"{"name":"x","classification":"restricted","home":"ID","ownerAgency":"bps","policy":{"homeReplicaRequired":false}}"#,
            status: 422, code: "policy_contradicts_classification", messageContains: "home"),
        Case(
            description: "replica count no topology could satisfy", method: "POST", path: register,
            body: #"{"name":"x","classification":"public","home":"ID","ownerAgency":"bps","policy":{"replicas":500}}"#,
            status: 422, code: "replicas_out_of_range", messageContains: "500"),
        Case(
            description: "more distinct sites than replicas", method: "POST", path: register,
            body:
                #"{"name":"x","classification":"public","home":"ID","ownerAgency":"bps","policy":{"replicas":2,"minDistinctSites":3}}"#,
            status: 422, code: "inconsistent_policy", messageContains: "minDistinctSites"),
        Case(
            description: "invalid dataset name", method: "POST", path: register,
            body: #"{"name":"Census 2025!","classification":"public","home":"ID","ownerAgency":"bps"}"#, status: 422,
            code: "invalid_name", messageContains: "dataset name"),
        Case(
            description: "operator registration without an agency", method: "POST", path: register,
            body: #"{"name":"x","classification":"public","home":"ID"}"#, status: 400, code: "invalid_field",
            messageContains: "ownerAgency"),
        Case(
            description: "agreement ending before it starts", method: "POST", path: "/v1/agreements",
            body:
                #"{"id":"a1","name":"A","parties":["ID","MY"],"classifications":["restricted"],"purposes":["storage"],"from":"2026-06-01T00:00:00Z","until":"2026-01-01T00:00:00Z"}"#,
            status: 422, code: "invalid_agreement_window", messageContains: "until"),
        Case(
            description: "agreement with one party", method: "POST", path: "/v1/agreements",
            body:
                #"{"id":"a1","name":"A","parties":["ID"],"classifications":["restricted"],"purposes":["storage"],"from":"2026-01-01"}"#,
            status: 422, code: "invalid_agreement", messageContains: "two"),
        Case(
            description: "agreement with an unknown purpose", method: "POST", path: "/v1/agreements",
            body:
                #"{"id":"a1","name":"A","parties":["ID","MY"],"classifications":["restricted"],"purposes":["mining"],"from":"2026-01-01"}"#,
            status: 400, code: "invalid_field", messageContains: "purposes"),
        Case(
            description: "agreement with a bad date", method: "POST", path: "/v1/agreements",
            body:
                #"{"id":"a1","name":"A","parties":["ID","MY"],"classifications":["restricted"],"purposes":["storage"],"from":"next tuesday"}"#,
            status: 400, code: "invalid_field", messageContains: "ISO 8601"),
        Case(
            description: "an act that is not a signed act", method: "POST",
            path: "/v1/agreements/my-sg-restricted/acts",
            body: #"{"act":"suspend"}"#, status: 422, code: "agreement_act_malformed", messageContains: "signed"),
        Case(
            description: "an act with an extra field", method: "POST", path: "/v1/agreements/my-sg-restricted/acts",
            body: #"{"act":"a.b","force":true}"#, status: 400, code: "unknown_field", messageContains: "force"),
        Case(
            description: "a signature that does not verify", method: "POST",
            path: "/v1/agreements/my-sg-restricted/signatures", body: #"{"jurisdiction":"MY","signature":"AAAA"}"#,
            status: 422, code: "agreement_signature_invalid", messageContains: "MY"),
        Case(
            description: "a signature by a state that is not a party", method: "POST",
            path: "/v1/agreements/my-sg-restricted/signatures", body: #"{"jurisdiction":"ID","signature":"AAAA"}"#,
            status: 422, code: "not_a_party", messageContains: "ID"),
        Case(
            description: "a signature for an unknown jurisdiction code", method: "POST",
            path: "/v1/agreements/my-sg-restricted/signatures", body: #"{"jurisdiction":"id!","signature":"AAAA"}"#,
            status: 400, code: "invalid_field", messageContains: "jurisdiction"),
        Case(
            description: "unknown agreement", method: "POST", path: "/v1/agreements/no-such/acts",
            body: #"{"act":"a.b"}"#,
            status: 404, code: "not_found", messageContains: "no-such"),
        Case(
            description: "unknown dataset", method: "GET", path: "/v1/datasets/ds-00000000000000000000", body: nil,
            status: 404, code: "not_found", messageContains: "ds-0"),
        Case(
            description: "bad page size", method: "GET", path: "/v1/datasets?limit=0", body: nil, status: 400,
            code: "invalid_parameter", messageContains: "limit"),
        Case(
            description: "forged cursor", method: "GET", path: "/v1/datasets?cursor=Zm9yZ2Vk", body: nil, status: 400,
            code: "invalid_parameter", messageContains: "cursor"),
        Case(
            description: "bad home filter", method: "GET", path: "/v1/datasets?home=indonesia", body: nil, status: 400,
            code: "invalid_parameter", messageContains: "ISO"),
        Case(
            description: "unknown endpoint", method: "GET", path: "/v1/nothing-here", body: nil, status: 404,
            code: "route_not_found", messageContains: "openapi"),
        Case(
            description: "host in an unknown site", method: "PUT", path: "/v1/hosts/h1",
            body: #"{"id":"h1","siteID":"nowhere","capacityBytes":10,"freeBytes":5}"#, status: 422,
            code: "unknown_site", messageContains: "nowhere"),
        Case(
            description: "host with more free space than capacity", method: "PUT", path: "/v1/hosts/h1",
            body: #"{"id":"h1","siteID":"id-jkt-1","capacityBytes":10,"freeBytes":50}"#, status: 422,
            code: "invalid_capacity", messageContains: "free"),
        Case(
            description: "group naming itself", method: "POST", path: "/v1/groups",
            body: #"{"name":"loop","members":["loop"]}"#, status: 422, code: "group_cycle", messageContains: "loop"),
        Case(
            description: "jurisdiction without a name", method: "POST", path: "/v1/jurisdictions",
            body: #"{"code":"TH","name":""}"#, status: 422, code: "invalid_name", messageContains: "TH"),
        Case(
            description: "classification with no replicas", method: "POST", path: "/v1/classifications",
            body:
                #"{"name":"top","rank":9,"storage":"home","keys":"home","processing":"home","dataEmbassyPermitted":false,"defaultReplicas":0,"defaultMinDistinctSites":1,"homeReplicaRequired":true}"#,
            status: 422, code: "replicas_out_of_range", messageContains: "defaultReplicas"),
        Case(
            description: "classification with a zero evacuation deadline", method: "POST", path: "/v1/classifications",
            body:
                #"{"name":"top","rank":9,"storage":"home","keys":"home","processing":"home","dataEmbassyPermitted":false,"defaultReplicas":1,"defaultMinDistinctSites":1,"homeReplicaRequired":true,"evacuationDeadlineSeconds":0}"#,
            status: 422, code: "invalid_evacuation_deadline", messageContains: "evacuationDeadlineSeconds"),
        Case(
            description: "evacuations in an unknown state", method: "GET", path: "/v1/evacuations?state=late",
            body: nil, status: 400, code: "invalid_parameter", messageContains: "state"),
        Case(
            description: "too many evacuations asked for", method: "GET", path: "/v1/evacuations?limit=5000", body: nil,
            status: 400, code: "invalid_parameter", messageContains: "limit"),
        Case(
            description: "evacuations of an unknown dataset", method: "GET",
            path: "/v1/evacuations?dataset=ds-00000000000000000000", body: nil, status: 404, code: "not_found",
            messageContains: "ds-0"),
        Case(
            description: "duplicate jurisdiction", method: "POST", path: "/v1/jurisdictions",
            body: #"{"code":"ID","name":"Indonesia again"}"#, status: 409, code: "conflict", messageContains: "ID"),
    ]

    @Test("each bad request is refused with its code and changes nothing", arguments: cases)
    func refused(_ badCase: Case) async throws {
        try await APIHarness.run(.sqlite) { api in
            let before = try await api.stateFingerprint()
            let reply = try await api.admin(HTTPRequest.Method(badCase.method)!, badCase.path, json: badCase.body)
            #expect(reply.status == badCase.status, "\(String(decoding: reply.body, as: UTF8.self))")
            #expect(reply.errorCode == badCase.code)
            #expect(
                reply.errorMessage?.contains(badCase.messageContains) == true,
                "message: \(reply.errorMessage ?? "none")")
            #expect(try await api.stateFingerprint() == before)
        }
    }

    @Test("an oversized body is refused with 413 before it is read in full")
    func oversizedBody() async throws {
        try await APIHarness.run(.sqlite) { api in
            let before = try await api.stateFingerprint()
            let padding = String(repeating: "a", count: 2 << 20)
            let reply = try await api.admin(
                .post, "/v1/datasets",
                json: #"{"name":"\#(padding)","classification":"public","home":"ID","ownerAgency":"bps"}"#)
            #expect(reply.status == 413)
            #expect(reply.errorCode == "body_too_large")
            #expect(try await api.stateFingerprint() == before)
        }
    }

    @Test("a second dataset with the same name in one agency is a conflict", arguments: StoreKind.allCases)
    func duplicateName(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            try await api.register("census-2025")
            let before = try await api.stateFingerprint()
            let reply = try await api.admin(
                .post, "/v1/datasets",
                json: #"{"name":"census-2025","classification":"public","home":"ID","ownerAgency":"bps"}"#)
            #expect(reply.status == 409)
            #expect(reply.errorCode == "conflict")
            #expect(try await api.stateFingerprint() == before)
        }
    }
}
