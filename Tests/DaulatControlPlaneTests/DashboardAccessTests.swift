import DaulatCore
import DaulatTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Who gets into the dashboard: a link for a regulator or operator token, exchanged for a session
/// cookie for `/dashboard` only; a regulator sees its own jurisdiction only; no cookie, no page.
@Suite("Regulators: dashboard access")
struct DashboardAccessTests {
    @Test("links for regulators and operators only; a session cookie; a regulator's own jurisdiction only")
    func access() async throws {
        try await APIHarness.run(.sqlite) { api in
            let owner = try await api.issueToken(role: "owner", agency: "bps")
            #expect(try await api.send(.post, "/v1/dashboard/links", token: owner).status == 403)
            let regulator = try await api.issueToken(role: "regulator", jurisdiction: "ID")
            let link = try await api.send(.post, "/v1/dashboard/links", token: regulator)
            #expect(link.status == 201)
            let path = try #require(link.json["path"] as? String)

            #expect(try await api.send(.get, "/dashboard").status == 401, "no cookie, no page")
            #expect(try await api.send(.get, "/dashboard/login?link=\(path.suffix(20))").status == 401)
            let (status, cookie) = try await api.client.execute(uri: path, method: .get) { response in
                (Int(response.status.code), response.headers[.setCookie] ?? "")
            }
            #expect(status == 303)
            #expect(
                cookie.contains("HttpOnly") && cookie.contains("Secure;") && cookie.contains("SameSite=Strict")
                    && cookie.contains("Path=/dashboard"))
            let session = String(cookie.split(separator: ";")[0])
            let page = try await api.send(.get, "/dashboard", headers: ["Cookie": session])
            #expect(page.status == 200)
            #expect(String(decoding: page.body, as: UTF8.self).contains("Residency dashboard: ID"))
            #expect(try await api.send(.get, "/dashboard?jurisdiction=SG", headers: ["Cookie": session]).status == 404)
            let report = try await api.send(.get, "/dashboard/report?format=json", headers: ["Cookie": session])
            #expect(report.status == 200 && report.json["signature"] is String)
            #expect(
                try await api.send(.get, "/dashboard/report?format=pdf", headers: ["Cookie": session]).errorCode
                    == "invalid_parameter")
            // A login link is not a session, nor the other way round.
            let linkValue = try #require(path.components(separatedBy: "link=").last)
            #expect(
                try await api.send(.get, "/dashboard", headers: ["Cookie": "daulat_dashboard=\(linkValue)"]).status
                    == 401)
        }
    }
}
