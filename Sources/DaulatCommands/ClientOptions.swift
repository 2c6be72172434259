import ArgumentParser
import DaulatAgent
import DaulatPKI
import Foundation

/// The options every client command shares: where the server is, who is asking, how to print.
struct ClientOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Control plane URL (or DAULAT_ADDR).", valueName: "url"))
    var server: String?

    @Option(name: .long, help: ArgumentHelp("Bearer token (or DAULAT_TOKEN).", valueName: "token"))
    var token: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The alliance's CA certificate, pinned (or DAULAT_CA_CERT; daulat dev writes DIR/ca.pem, daulat server --ca-cert-file). May also hold the CA of the API's certificate when that is the operator's own.",
            valueName: "file"))
    var caCert: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Pin the alliance's CA by fingerprint instead, as daulat server logs it and join tokens carry it (or DAULAT_CA_FINGERPRINT).",
            valueName: "sha256:hex"))
    var caFingerprint: String?

    @Option(name: .long, help: "Output format: table (default) or json.")
    var output: OutputFormat = .table

    var serverURL: String {
        (server ?? ProcessInfo.processInfo.environment["DAULAT_ADDR"] ?? "https://127.0.0.1:8080")
            .trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    }

    func bearerToken() throws -> String {
        guard let token = token ?? ProcessInfo.processInfo.environment["DAULAT_TOKEN"], !token.isEmpty else {
            throw ValidationError("a token is required: pass --token or set DAULAT_TOKEN (daulat dev prints one)")
        }
        return token
    }

    func client() throws -> APIClient { APIClient(baseURL: serverURL, token: try bearerToken(), pin: try pin()) }

    /// What the CLI trusts besides the system's roots: the pinned CA file, or the authority whose
    /// fingerprint was given; neither when nothing is pinned.
    func pin() throws -> APIClient.Pin {
        let environment = ProcessInfo.processInfo.environment
        if let file = caCert ?? environment["DAULAT_CA_CERT"].flatMap({ $0.isEmpty ? nil : $0 }) {
            do {
                return .roots(try TrustedRoots.load(URL(fileURLWithPath: file)))
            } catch let error as AgentError {
                throw ValidationError(error.message)
            }
        }
        if let text = caFingerprint ?? environment["DAULAT_CA_FINGERPRINT"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let fingerprint = AuthorityFingerprint(text) else {
                throw ValidationError("--ca-fingerprint must be sha256: and 64 hex digits, as daulat server logs it")
            }
            return .fingerprint(fingerprint)
        }
        return .none
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}
