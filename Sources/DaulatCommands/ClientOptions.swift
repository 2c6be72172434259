import ArgumentParser
import Foundation

/// The options every client command shares: where the server is, who is asking, how to print.
struct ClientOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Control plane URL (or DAULAT_ADDR).", valueName: "url"))
    var server: String?

    @Option(name: .long, help: ArgumentHelp("Bearer token (or DAULAT_TOKEN).", valueName: "token"))
    var token: String?

    @Option(name: .long, help: "Output format: table (default) or json.")
    var output: OutputFormat = .table

    var serverURL: String {
        (server ?? ProcessInfo.processInfo.environment["DAULAT_ADDR"] ?? "http://127.0.0.1:8080")
            .trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    }

    func bearerToken() throws -> String {
        guard let token = token ?? ProcessInfo.processInfo.environment["DAULAT_TOKEN"], !token.isEmpty else {
            throw ValidationError("a token is required: pass --token or set DAULAT_TOKEN (daulat dev prints one)")
        }
        return token
    }

    func client() throws -> APIClient { APIClient(baseURL: serverURL, token: try bearerToken()) }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}
