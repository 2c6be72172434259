import ArgumentParser
import DaulatControlPlane
import DaulatCore
import Foundation

/// `daulat token …`: operators issue, list, revoke and rotate API tokens.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Issue, list, revoke and rotate API tokens.",
        discussion: """
            Every token expires: 90 days after it is issued unless --expires-in says otherwise, and never \
            later than the server's --token-max-lifetime (a year by default). A leaked token is revoked at \
            once on every control plane (within a second); rotating one issues its successor and leaves the \
            old one working for a grace period, so clients can move over.
            """,
        subcommands: [TokenCreate.self, TokenList.self, TokenRevoke.self, TokenRotate.self]
    )
}

struct TokenCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Issue a token; its secret is printed once and never stored.",
        discussion: """
            Examples:
              daulat token create --name bps-etl --role owner --agency bps
              daulat token create --name ojk-audit --role regulator --jurisdiction ID --expires-in 30d
            """
    )

    @OptionGroup var client: ClientOptions
    @Option(help: "Token name, for the audit log.") var name: String
    @Option(help: "operator, owner or regulator.") var role: String
    @Option(help: "The agency an owner token acts for.") var agency: String?
    @Option(help: "The jurisdiction a regulator token reads about.") var jurisdiction: String?
    @Option(help: "How long it works: 90d, 12h, 30m or seconds (default 90 days).") var expiresIn: TokenLifetime?

    func run() async throws {
        var body: [String: AnyEncodable] = ["name": AnyEncodable(name), "role": AnyEncodable(role)]
        if let agency { body["agency"] = AnyEncodable(agency) }
        if let jurisdiction { body["jurisdiction"] = AnyEncodable(jurisdiction.uppercased()) }
        if let expiresIn { body["expiresInSeconds"] = AnyEncodable(expiresIn.seconds) }
        let data = try await client.client().send(.POST, "/v1/tokens", body: body)
        let issued = try CanonicalJSON.decoder().decode(TokenIssuer.Issued.self, from: data)
        try Output.print(data, format: client.output) {
            var table = Table("ID", "NAME", "ROLE", "SCOPE", "EXPIRES", "SECRET (shown once)")
            table.add(
                issued.token.id, issued.token.name, issued.token.role.rawValue, issued.token.scope,
                CanonicalJSON.format(issued.token.expiresAt), issued.secret)
            return table
        }
    }
}

struct TokenList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List every token: who it is for, when it was last used, when it expires.",
        discussion: "Never a secret: those are shown once, when a token is issued.")

    @OptionGroup var client: ClientOptions

    struct Listed: Decodable {
        var tokens: [APIToken]
    }

    func run() async throws {
        let (listed, data) = try await client.client().get("/v1/tokens", as: Listed.self)
        let now = Date()
        try Output.print(data, format: client.output) {
            var table = Table("ID", "NAME", "ROLE", "SCOPE", "CREATED", "LAST USED", "EXPIRES", "STATE")
            for token in listed.tokens {
                table.add(
                    token.id, token.name, token.role.rawValue, token.scope, CanonicalJSON.format(token.createdAt),
                    token.lastUsedAt.map(CanonicalJSON.format) ?? "never", CanonicalJSON.format(token.expiresAt),
                    token.state(at: now))
            }
            return table
        }
    }
}

struct TokenRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a token: it stops working on every control plane within a second.",
        discussion: "Dashboard sessions opened with it end too. Example: daulat token revoke tok-0123456789abcdef")

    @OptionGroup var client: ClientOptions
    @Argument(help: "The token's id (tok-…), as daulat token list shows it.") var id: String

    func run() async throws {
        let data = try await client.client().send(.DELETE, APIClient.path("v1", "tokens", id))
        let token = try CanonicalJSON.decoder().decode(APIToken.self, from: data)
        try Output.print(data, format: client.output) {
            var table = Table("ID", "NAME", "ROLE", "SCOPE", "REVOKED")
            table.add(
                token.id, token.name, token.role.rawValue, token.scope,
                token.revokedAt.map(CanonicalJSON.format) ?? "-")
            return table
        }
    }
}

struct TokenRotate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Issue a token's successor (same name, role and scope) and have the old one expire after a grace.",
        discussion: """
            The successor's secret is printed once. The old token keeps working for --grace (a day by \
            default, at most 30 days), time to move its clients over.
              daulat token rotate tok-0123456789abcdef --grace 2h
            """)

    @OptionGroup var client: ClientOptions
    @Argument(help: "The token's id (tok-…).") var id: String
    @Option(help: "How long the old token keeps working: 1d, 2h, 0 (default a day).") var grace: TokenLifetime?
    @Option(help: "How long the successor works (default 90 days).") var expiresIn: TokenLifetime?

    func run() async throws {
        var body: [String: AnyEncodable] = [:]
        if let grace { body["graceSeconds"] = AnyEncodable(grace.seconds) }
        if let expiresIn { body["expiresInSeconds"] = AnyEncodable(expiresIn.seconds) }
        let data = try await client.client().send(.POST, APIClient.path("v1", "tokens", id, "rotate"), body: body)
        let rotated = try CanonicalJSON.decoder().decode(RotatedToken.self, from: data)
        try Output.print(data, format: client.output) {
            var table = Table("ID", "NAME", "ROLE", "SCOPE", "EXPIRES", "SECRET (shown once)")
            table.add(
                rotated.token.id, rotated.token.name, rotated.token.role.rawValue, rotated.token.scope,
                CanonicalJSON.format(rotated.token.expiresAt), rotated.secret)
            table.add(
                rotated.rotated.id, rotated.rotated.name, rotated.rotated.role.rawValue, rotated.rotated.scope,
                CanonicalJSON.format(rotated.rotated.expiresAt), "(the old token, until then)")
            return table
        }
    }
}

extension APIToken {
    /// The agency or jurisdiction it is for, or `-` for an operator.
    fileprivate var scope: String { agency ?? jurisdiction?.rawValue ?? "-" }

    fileprivate func state(at now: Date) -> String {
        if revokedAt != nil { return "revoked" }
        if now >= expiresAt { return "expired" }
        return successorID.map { "rotated to \($0)" } ?? "live"
    }
}
