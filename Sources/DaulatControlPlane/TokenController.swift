import DaulatCore
import Foundation
import Hummingbird

/// `/v1/tokens`: operators issue tokens for owners, regulators and other operators, list them, revoke
/// them and rotate them. The secret is returned once and never stored. Every token expires; the server
/// sets the longest life one may be given.
struct TokenController<Store: DaulatStore>: Sendable {
    let store: Store
    /// The longest life a token may be given.
    let longestLifetime: TimeInterval
    /// Forgets revoked tokens at once on this control plane (others within the cache's lifetime).
    let cache: TokenCache
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.post("tokens") { request, context in
            let caller = try context.requireOperator()
            let body = try await RequestBody.decode(Strict<CreateTokenRequest>.self, from: request).value
            try Identifier.validate(body.name, what: "token name")
            switch body.role {
            case .operator:
                guard body.agency == nil, body.jurisdiction == nil else {
                    throw APIError.invalidField("an operator token takes neither 'agency' nor 'jurisdiction'")
                }
            case .owner:
                guard let agency = body.agency, body.jurisdiction == nil else {
                    throw APIError.invalidField("an owner token needs 'agency' and takes no 'jurisdiction'")
                }
                try Identifier.validate(agency, what: "agency")
            case .regulator:
                guard let jurisdiction = body.jurisdiction, body.agency == nil else {
                    throw APIError.invalidField("a regulator token needs 'jurisdiction' and takes no 'agency'")
                }
                try await store.alliance().requireJurisdiction(jurisdiction)
            }
            let issued = try await TokenIssuer.issue(
                name: body.name, role: body.role, agency: body.agency, jurisdiction: body.jurisdiction,
                lifetime: try lifetime(body.expiresInSeconds), store: store, actor: caller.auditActor, at: clock()
            )
            return try JSONResponse.make(issued, status: .created)
        }
        group.get("tokens") { _, context in
            _ = try context.requireOperator()
            return try JSONResponse.make(TokenList(tokens: try await store.tokens().map(\.redacted)))
        }
        group.delete("tokens/:tokenId") { _, context in
            let caller = try context.requireOperator()
            let revoked = try await store.revokeToken(
                id: try context.parameters.require("tokenId"), at: CanonicalJSON.rounded(clock()),
                actor: caller.auditActor)
            cache.forget(revoked.secretHash)
            return try JSONResponse.make(revoked.redacted)
        }
        group.post("tokens/:tokenId/rotate") { request, context in
            let caller = try context.requireOperator()
            let id = try context.parameters.require("tokenId")
            let body = try await RequestBody.decode(Strict<RotateTokenRequest>.self, from: request).value
            let grace = body.graceSeconds ?? RotateTokenRequest.defaultGrace
            guard (0...RotateTokenRequest.longestGrace).contains(grace) else {
                throw APIError.invalidField(
                    "'graceSeconds' must be from 0 to \(RotateTokenRequest.longestGrace) (30 days)")
            }
            guard let old = try await store.token(id: id) else { throw APIError.notFound("token", id) }
            let now = CanonicalJSON.rounded(clock())
            let (successor, secret) = TokenIssuer.make(
                name: old.name, role: old.role, agency: old.agency, jurisdiction: old.jurisdiction,
                lifetime: try lifetime(body.expiresInSeconds), at: now)
            let rotated = try await store.rotateToken(
                id: id, successor: successor, graceUntil: now.addingTimeInterval(TimeInterval(grace)),
                actor: caller.auditActor)
            cache.forget(rotated.secretHash)
            return try JSONResponse.make(
                RotatedToken(token: successor.redacted, secret: secret, rotated: rotated.redacted), status: .created)
        }
    }

    /// The life asked for, in seconds, checked against the server's ceiling; nil for the default.
    private func lifetime(_ seconds: Int?) throws -> TimeInterval? {
        guard let seconds else { return min(APIToken.defaultLifetime, longestLifetime) }
        guard seconds >= 60, TimeInterval(seconds) <= longestLifetime else {
            throw APIError.invalidField(
                "'expiresInSeconds' must be from 60 to \(Int(longestLifetime)), the longest life this server gives a token"
            )
        }
        return TimeInterval(seconds)
    }
}
