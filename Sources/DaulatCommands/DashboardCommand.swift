import ArgumentParser
import DaulatCore
import Foundation

/// `daulat dashboard link`: a login link to the regulator dashboard.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "The regulator dashboard in a browser.",
        subcommands: [DashboardLink.self]
    )
}

struct DashboardLink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "A login link to the dashboard, good for five minutes (regulator or operator tokens).",
        discussion: """
            Open it in a browser: it signs you in for eight hours with a cookie for the dashboard only. A \
            regulator sees its own jurisdiction; an operator any (add ?jurisdiction=XX to the address).
              daulat dashboard link
            """
    )

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let api = try client.client()
        let data = try await api.send(.POST, "/v1/dashboard/links")
        let link = try CanonicalJSON.decoder().decode([String: String].self, from: data)
        let url = api.baseURL + (link["path"] ?? "")
        try Output.print(data, format: client.output) {
            var table = Table("OPEN IN A BROWSER", "GOOD UNTIL")
            table.add(url, link["expiresAt"] ?? "?")
            return table
        }
    }
}
