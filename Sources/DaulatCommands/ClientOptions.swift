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

    @Flag(
        name: .long,
        help:
            "Allow --server http://… to another machine: only where something else encrypts the traffic (the token crosses the network as is)."
    )
    var insecureHTTP = false

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

    func client() throws -> APIClient {
        let pin = try pin()
        try Self.checkTransport(serverURL, pinned: pin, insecureHTTP: insecureHTTP)
        return APIClient(baseURL: serverURL, token: try bearerToken(), pin: pin)
    }

    /// Refuses to send a token over plain HTTP where a pinned CA shows TLS is expected, or to another
    /// machine unless told to: the token would cross the network as it is.
    static func checkTransport(_ serverURL: String, pinned pin: APIClient.Pin, insecureHTTP: Bool) throws {
        guard let url = URL(string: serverURL), url.scheme?.lowercased() == "http" else { return }
        if case .none = pin {
            let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(url.host?.lowercased() ?? "")
            guard loopback || insecureHTTP else {
                throw ValidationError(
                    "refusing to send the token to \(serverURL) over plain HTTP: use the API's https:// URL, or --insecure-http if something else encrypts this traffic"
                )
            }
        } else {
            throw ValidationError(
                "a certificate authority is pinned (--ca-cert, --ca-fingerprint or DAULAT_CA_…), but \(serverURL) is plain HTTP, where it cannot be checked: use the API's https:// URL"
            )
        }
    }

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
