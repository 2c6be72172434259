import DaulatCore
import Foundation
import Hummingbird

/// `/v1/tokens`: operators issue tokens for owners, regulators and other operators. The secret is
/// returned once and never stored.
struct TokenController<Store: DaulatStore>: Sendable {
    let store: Store
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
                store: store, actor: caller.auditActor, at: clock()
            )
            return try JSONResponse.make(issued, status: .created)
        }
    }
}
