import DaulatCore
import DaulatPKI
import Foundation
import Hummingbird

/// The regulator dashboard. A regulator (or an operator) asks the API for a login link, opens it in a
/// browser, and gets a session cookie (HttpOnly, Secure — the API is HTTPS, or behind a proxy that is — SameSite=Strict, for `/dashboard` only) signed by the
/// control plane; the pages show its jurisdiction's residency report, a regulator's own only. A link
/// works once; a session ends when it expires or when its token expires or is revoked.
struct DashboardController<Store: DaulatStore>: Sendable {
    let store: Store
    let certificates: AgentCertificates<Store>
    let reports: ResidencyReportBuilder<Store>
    let clock: @Sendable () -> Date

    static var cookie: String { "daulat_dashboard" }

    /// `POST /v1/dashboard/links`, with the caller's bearer token.
    func addLinkRoute(to group: RouterGroup<ControlPlaneContext>) {
        group.post("dashboard/links") { _, context in
            let caller = try context.caller()
            guard caller.role != .owner else {
                throw APIError.forbidden("the dashboard is for regulators and operators")
            }
            let expiresAt = CanonicalJSON.rounded(clock()).addingTimeInterval(DashboardPass.linkLifetime)
            let link = try SignedDocument.sign(
                DashboardPass(
                    secretHash: caller.secretHash, expiresAt: expiresAt,
                    nonce: Identifier.random(prefix: "dl-", length: 32)),
                purpose: DashboardPass.linkPurpose, with: try certificates.authority())
            return try JSONResponse.make(
                ["path": "/dashboard/login?link=\(link)", "expiresAt": CanonicalJSON.format(expiresAt)],
                status: .created)
        }
    }

    func addPageRoutes(to router: Router<ControlPlaneContext>) {
        router.get("dashboard/login") { request, _ in
            guard let link = request.uri.queryParameters["link"] else {
                throw APIError.invalidParameter("'link' is required: ask for one with daulat dashboard link")
            }
            let (token, pass) = try await token(for: String(link), purpose: DashboardPass.linkPurpose)
            // Good once: a link seen again (a shared screen, a proxy's log, browser history) opens nothing.
            guard let nonce = pass.nonce,
                try await store.claimDashboardLink(nonce: nonce, expiresAt: pass.expiresAt, at: clock())
            else { throw Self.invalidPass }
            let now = CanonicalJSON.rounded(clock())
            let expiresAt = min(now.addingTimeInterval(DashboardPass.sessionLifetime), token.expiresAt)
            let session = try SignedDocument.sign(
                DashboardPass(secretHash: token.secretHash, expiresAt: expiresAt),
                purpose: DashboardPass.sessionPurpose, with: try certificates.authority())
            var headers = HTTPFields()
            headers[.location] = "/dashboard"
            headers[.setCookie] =
                "\(Self.cookie)=\(session); Path=/dashboard; HttpOnly; Secure; SameSite=Strict; Max-Age=\(Int(expiresAt.timeIntervalSince(now)))"
            return Response(status: .seeOther, headers: headers)
        }
        router.get("dashboard") { request, _ in
            let token = try await session(request)
            let jurisdiction = try await jurisdiction(request, token: token)
            let signed = try await reports.build(for: jurisdiction, at: clock())
            return TextResponse.make(
                DashboardPage.render(
                    signed.report, viewer: token.auditActor,
                    jurisdictions: try await store.alliance().jurisdictionCodes), type: "text/html; charset=utf-8")
        }
        router.get("dashboard/report") { request, context in
            let token = try await session(request)
            let format = try ReportController<Store>.format(request.uri.queryParameters["format"], default: "html")
            let jurisdiction = try await jurisdiction(request, token: token)
            if format == "csv" {
                return try await reports.streamedCSV(for: jurisdiction, at: clock(), context: context)
            }
            let signed = try await reports.build(for: jurisdiction, at: clock())
            return try ReportController<Store>.response(signed, format: format)
        }
    }

    /// The token a signed pass names, and the pass, if the pass is good and the token still live.
    private func token(for pass: String, purpose: String) async throws -> (APIToken, DashboardPass) {
        let now = clock()
        guard
            let decoded = try? SignedDocument.verify(
                pass, as: DashboardPass.self, purpose: purpose, authority: try certificates.authority().certificate),
            now < decoded.expiresAt, let token = try await store.token(secretHash: decoded.secretHash),
            token.isLive(at: now), token.role != .owner
        else { throw Self.invalidPass }
        return (token, decoded)
    }

    private static var invalidPass: APIError {
        APIError(
            .unauthorized, code: "dashboard_pass_invalid",
            message:
                "this link or session is not valid, was used already, or has expired, or its token has; ask for a new link with daulat dashboard link"
        )
    }

    private func session(_ request: Request) async throws -> APIToken {
        let cookies = (request.headers[.cookie] ?? "").split(separator: ";").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let cookie = cookies.first(where: { $0.hasPrefix("\(Self.cookie)=") }) else {
            throw APIError(
                .unauthorized, code: "dashboard_pass_invalid",
                message: "not signed in; open a link from daulat dashboard link")
        }
        return try await token(
            for: String(cookie.dropFirst(Self.cookie.count + 1)), purpose: DashboardPass.sessionPurpose
        ).0
    }

    /// A regulator's own jurisdiction, whatever it asks; an operator's choice, the first by default.
    private func jurisdiction(_ request: Request, token: APIToken) async throws -> JurisdictionCode {
        let asked = request.uri.queryParameters["jurisdiction"].map(String.init)
        if token.role == .regulator {
            guard let own = token.jurisdiction, asked == nil || asked == own.rawValue else {
                throw APIError.notFound("report", asked ?? "?")
            }
            return own
        }
        let codes = try await store.alliance().jurisdictionCodes
        guard let asked else {
            guard let first = codes.first else { throw APIError.notFound("jurisdiction", "any") }
            return first
        }
        guard let code = try? JurisdictionCode(asked), codes.contains(code) else {
            throw APIError.notFound("jurisdiction", asked)
        }
        return code
    }
}
