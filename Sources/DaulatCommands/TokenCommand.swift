import ArgumentParser
import DaulatControlPlane
import DaulatCore

/// `daulat token create`: operators issue tokens for owners, regulators and other operators.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Issue API tokens.", subcommands: [TokenCreate.self]
    )
}

struct TokenCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Issue a token; its secret is printed once and never stored.",
        discussion: """
            Examples:
              daulat token create --name bps-etl --role owner --agency bps
              daulat token create --name ojk-audit --role regulator --jurisdiction ID
            """
    )

    @OptionGroup var client: ClientOptions
    @Option(help: "Token name, for the audit log.") var name: String
    @Option(help: "operator, owner or regulator.") var role: String
    @Option(help: "The agency an owner token acts for.") var agency: String?
    @Option(help: "The jurisdiction a regulator token reads about.") var jurisdiction: String?

    func run() async throws {
        var body: [String: AnyEncodable] = ["name": AnyEncodable(name), "role": AnyEncodable(role)]
        if let agency { body["agency"] = AnyEncodable(agency) }
        if let jurisdiction { body["jurisdiction"] = AnyEncodable(jurisdiction.uppercased()) }
        let data = try await client.client().send(.POST, "/v1/tokens", body: body)
        let issued = try CanonicalJSON.decoder().decode(TokenIssuer.Issued.self, from: data)
        try Output.print(data, format: client.output) {
            var table = Table("ID", "NAME", "ROLE", "SCOPE", "SECRET (shown once)")
            table.add(
                issued.token.id, issued.token.name, issued.token.role.rawValue,
                issued.token.agency ?? issued.token.jurisdiction?.rawValue ?? "-", issued.secret
            )
            return table
        }
    }
}
