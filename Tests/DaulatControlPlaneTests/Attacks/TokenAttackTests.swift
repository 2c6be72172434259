import DaulatControlPlane
import DaulatCore
import DaulatTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

extension Attacks {
    /// Whoever holds a leaked token (a laptop lost, a log shipped, a link pasted) keeps using it. Tokens
    /// expire, are revoked and rotated; a revoked token stops working on every control plane within a
    /// second, and the dashboard sessions opened with it end; a dashboard login link opens once.
    @Suite("Attack: a leaked token or login link is used")
    struct TokenAttackTests {
        @Test(
            "revoked, expired and rotated-out tokens are refused; sessions end with their token; a link opens once",
            arguments: StoreKind.allCases)
        func leakedTokens(kind: StoreKind) async throws {
            try await APIHarness.run(kind) { api in
                let issued = try await api.admin(
                    .post, "/v1/tokens", json: #"{"name":"leaky","role":"regulator","jurisdiction":"ID"}"#)
                #expect(issued.status == 201)
                let leaked = try #require(issued.json["secret"] as? String)
                let id = try #require((issued.json["token"] as? [String: Any])?["id"] as? String)
                let expires = try #require((issued.json["token"] as? [String: Any])?["expiresAt"] as? String)
                let created = try #require((issued.json["token"] as? [String: Any])?["createdAt"] as? String)
                let lifetime = try #require(CanonicalJSON.parseDate(expires)).timeIntervalSince(
                    try #require(CanonicalJSON.parseDate(created)))
                #expect(lifetime == APIToken.defaultLifetime, "90 days unless asked otherwise")
                #expect(try await api.send(.get, "/v1/datasets", token: leaked).status == 200)

                // A dashboard session opened with it, and a login link used twice.
                let link = try #require(
                    try await api.send(.post, "/v1/dashboard/links", token: leaked).json["path"] as? String)
                let (status, cookie) = try await api.client.execute(uri: link, method: .get) { response in
                    (Int(response.status.code), response.headers[.setCookie] ?? "")
                }
                #expect(status == 303)
                let session = String(cookie.split(separator: ";")[0])
                let again = try await api.send(.get, link)
                #expect(again.status == 401 && again.errorCode == "dashboard_pass_invalid", "a link opens once")
                let page = try await api.client.execute(
                    uri: "/dashboard", method: .get, headers: [.cookie: session]
                ) { response in
                    (Int(response.status.code), response.headers[.contentSecurityPolicy] ?? "")
                }
                #expect(page.0 == 200 && page.1.contains("frame-ancestors 'none'"), "never framed: \(page.1)")

                // The listing shows the token and when it was used, never its secret or the secret's hash.
                let listed = try await api.admin(.get, "/v1/tokens")
                let text = String(decoding: listed.body, as: UTF8.self)
                #expect(listed.status == 200 && text.contains(id) && !text.contains(leaked))
                #expect(!text.contains(TokenSecret.hash(leaked)))
                let entry = try #require(
                    (listed.json["tokens"] as? [[String: Any]])?.first { $0["id"] as? String == id })
                #expect(entry["lastUsedAt"] is String)

                // Revoked: refused at once, with its session.
                let revoked = try await api.admin(.delete, "/v1/tokens/\(id)")
                #expect(revoked.status == 200 && revoked.json["revokedAt"] is String)
                #expect(try await api.send(.get, "/v1/datasets", token: leaked).status == 401)
                #expect(try await api.send(.get, "/dashboard", headers: ["Cookie": session]).status == 401)
                #expect(try await api.admin(.post, "/v1/tokens/\(id)/rotate", json: "{}").errorCode == "token_not_live")

                // Expired: refused like one that never existed.
                let expiredSecret = TokenSecret.generate()
                let past = CanonicalJSON.rounded(Date().addingTimeInterval(-7_200))
                try await api.store.addToken(
                    APIToken(
                        id: "tok-expired000000000", name: "old", role: .owner, agency: "bps", jurisdiction: nil,
                        secretHash: TokenSecret.hash(expiredSecret), createdAt: past,
                        expiresAt: past.addingTimeInterval(3_600)),
                    actor: "test")
                #expect(try await api.send(.get, "/v1/datasets", token: expiredSecret).status == 401)

                // Rotated: the successor works; the old one for its grace, or not at all with none.
                let owner = try await api.admin(
                    .post, "/v1/tokens", json: #"{"name":"etl","role":"owner","agency":"bps"}"#)
                let ownerSecret = try #require(owner.json["secret"] as? String)
                let ownerID = try #require((owner.json["token"] as? [String: Any])?["id"] as? String)
                let graced = try await api.admin(.post, "/v1/tokens/\(ownerID)/rotate", json: #"{"graceSeconds":3600}"#)
                #expect(graced.status == 201)
                let successor = try #require(graced.json["secret"] as? String)
                let successorID = try #require((graced.json["token"] as? [String: Any])?["id"] as? String)
                #expect(try await api.send(.get, "/v1/datasets", token: successor).status == 200)
                #expect(try await api.send(.get, "/v1/datasets", token: ownerSecret).status == 200, "within its grace")
                let cut = try await api.admin(.post, "/v1/tokens/\(successorID)/rotate", json: #"{"graceSeconds":0}"#)
                #expect(cut.status == 201)
                #expect(try await api.send(.get, "/v1/datasets", token: successor).status == 401, "no grace, no use")
                let third = try #require(cut.json["secret"] as? String)
                #expect(try await api.send(.get, "/v1/datasets", token: third).status == 200)
                let audited = try await api.store.auditEntries(after: 0, limit: 1_000).map(\.action)
                #expect(audited.contains("token.revoked") && audited.filter { $0 == "token.rotated" }.count == 2)
            }
        }

        @Test("bad token requests are refused with their codes and change nothing")
        func badRequests() async throws {
            try await APIHarness.run(.sqlite) { api in
                let owner = try await api.issueToken(role: "owner", agency: "bps")
                let before = try await api.store.tokens()
                for (method, path, body, status, code) in [
                    (
                        HTTPRequest.Method.post, "/v1/tokens",
                        #"{"name":"x","role":"owner","agency":"bps","expiresInSeconds":10}"#, 400, "invalid_field"
                    ),
                    (
                        .post, "/v1/tokens",
                        #"{"name":"x","role":"owner","agency":"bps","expiresInSeconds":315360000}"#, 400,
                        "invalid_field"
                    ),
                    (
                        .post, "/v1/tokens", #"{"name":"x","role":"owner","agency":"bps","expiresInSeconds":"soon"}"#,
                        400, "invalid_field"
                    ),
                    (.post, "/v1/tokens/tok-nope/rotate", "{}", 404, "not_found"),
                    (.delete, "/v1/tokens/tok-nope", nil, 404, "not_found"),
                ] as [(HTTPRequest.Method, String, String?, Int, String)] {
                    let reply = try await api.admin(method, path, json: body)
                    #expect(
                        reply.status == status && reply.errorCode == code,
                        "\(path) \(body ?? ""): \(reply.status) \(reply.errorCode ?? "")")
                }
                let target = try #require(before.first { $0.role == .owner }?.id)
                for body in [#"{"graceSeconds":-1}"#, #"{"graceSeconds":2592001}"#, #"{"grace":5}"#] {
                    let reply = try await api.admin(.post, "/v1/tokens/\(target)/rotate", json: body)
                    #expect(reply.status == 400, "\(body): \(reply.status)")
                }
                #expect(try await api.send(.get, "/v1/tokens", token: owner).status == 403)
                #expect(try await api.send(.delete, "/v1/tokens/\(target)", token: owner).status == 403)
                #expect(try await api.store.tokens().map(\.id) == before.map(\.id))
                #expect(try await api.store.tokens().allSatisfy { $0.revokedAt == nil })
            }
        }
    }
}
