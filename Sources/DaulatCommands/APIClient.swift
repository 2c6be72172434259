import AsyncHTTPClient
import DaulatAgent
import DaulatCore
import DaulatPKI
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization

/// A small client for the control plane's JSON API, used by the CLI.
struct APIClient: Sendable {
    let baseURL: String
    let token: String
    let pin: Pin
    /// False for a client that polls for as long as it runs (a witness): each request then closes its
    /// connection, so none is held open between rounds, and a control plane shutting down is not kept
    /// waiting for it.
    var keepsConnections = true

    /// What is trusted besides the system's roots, for the API's certificate and, for the alliance's
    /// authority, for agents' and custodians'.
    enum Pin: Sendable {
        case none
        /// Certificates from a file (DAULAT_CA_CERT).
        case roots(TrustedRoots)
        /// The alliance's authority, fetched from the server and kept only if it hashes to this.
        case fingerprint(AuthorityFingerprint)
    }

    init(baseURL: String, token: String, pin: Pin) {
        self.baseURL = baseURL
        self.token = token
        self.pin = pin
    }

    /// The pinned certificates; for a fingerprint, the authority it pins, fetched once per process.
    func roots() async throws -> TrustedRoots? {
        switch pin {
        case .none: return nil
        case .roots(let roots): return roots
        case .fingerprint(let fingerprint):
            if let fetched = Self.fetched.withLock({ $0[fingerprint] }) { return fetched }
            let authority: String
            do {
                authority = try await TrustedRoots.fetchAuthority(from: baseURL, pinned: fingerprint)
            } catch let error as AgentError {
                throw ClientError(message: error.message)
            }
            let roots = TrustedRoots(certificates: [authority])
            Self.fetched.withLock { $0[fingerprint] = roots }
            return roots
        }
    }

    private static let fetched = Mutex<[AuthorityFingerprint: TrustedRoots]>([:])

    /// The pinned authority that is `presented` (the one a reply names for agents or custodians), to
    /// trust for their connections: the pin decides, never the reply.
    func authority(matching presented: String) async throws -> String {
        guard let roots = try await roots() else {
            throw ClientError(
                message:
                    "no certificate authority is pinned, so agents and custodians cannot be checked: pass --ca-cert FILE (daulat dev writes DIR/ca.pem; daulat server writes --ca-cert-file) or --ca-fingerprint, or set DAULAT_CA_CERT"
            )
        }
        do {
            return try roots.authority(matching: presented)
        } catch let error as AgentError {
            throw ClientError(message: error.message)
        }
    }

    /// Sends a request and returns the body of a 2xx response; turns an error body into a
    /// ``ClientError`` carrying the server's code and message.
    func send(_ method: HTTPMethod, _ path: String, body: (any Encodable)? = nil, headers: [(String, String)] = [])
        async throws
        -> Data
    {
        let response = try await execute(method, path, body: body, headers: headers, timeout: .seconds(60))
        return Data(buffer: try await response.body.collect(upTo: 64 << 20))
    }

    /// Sends a GET and writes the body of a 2xx response to `output` as it arrives, however large;
    /// returns the bytes written. An answer that breaks off midway is an error that says so.
    func download(_ path: String, to output: FileHandle) async throws -> Int {
        // Bounds the wait for the answer to begin, which a large signed report takes to build; the
        // body then arrives for as long as it takes.
        let response = try await execute(.GET, path, body: nil, headers: [], timeout: .minutes(30))
        var written = 0
        do {
            for try await chunk in response.body {
                try output.write(contentsOf: Data(buffer: chunk))
                written += chunk.readableBytes
            }
        } catch {
            throw ClientError(
                message: "the answer broke off after \(written) bytes, so what was written is incomplete: \(error)")
        }
        return written
    }

    /// Sends the request; returns a 2xx response with its body still to read, and throws the server's
    /// error for any other.
    private func execute(
        _ method: HTTPMethod, _ path: String, body: (any Encodable)?, headers: [(String, String)], timeout: TimeAmount
    ) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        if !keepsConnections { request.headers.add(name: "Connection", value: "close") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try CanonicalJSON.encoder().encode(body)))
        }
        guard URL(string: baseURL + path) != nil else {
            throw ClientError(message: "'\(baseURL + path)' is not a valid URL; check --server")
        }
        let response: HTTPClientResponse
        do {
            response = try await (try await roots()?.client() ?? HTTPClient.shared).execute(request, timeout: timeout)
        } catch let error as ClientError {
            throw error
        } catch {
            throw ClientError(message: "cannot reach the control plane at \(baseURL): \(Self.explain(error))")
        }
        guard (200..<300).contains(response.status.code) else {
            let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
            if let envelope = try? JSONDecoder().decode(ErrorBody.self, from: data) {
                throw ClientError(
                    message: "\(envelope.error.message) [\(envelope.error.code), HTTP \(response.status.code)]")
            }
            throw ClientError(message: "the server answered HTTP \(response.status.code)")
        }
        return response
    }

    /// The error, and what to do about a certificate the client could not check.
    private static func explain(_ error: any Error) -> String {
        let text = "\(error)"
        guard text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("handshakeFailed") else { return text }
        return text
            + " (the server's certificate is not from a CA trusted here: pin the alliance's with --ca-cert FILE or --ca-fingerprint, or DAULAT_CA_CERT)"
    }

    /// A path from segments, each percent-encoded, so a value can never add a segment or a query.
    static func path(_ segments: String...) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return segments.map { "/" + ($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0) }.joined()
    }

    /// A path with a query built from name-value pairs, each value percent-encoded.
    static func path(_ base: String, query: [(String, String?)]) -> String {
        var components = URLComponents()
        components.queryItems = query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        // `+` means a space to many servers; encode it as well.
        let encoded = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B") ?? ""
        return encoded.isEmpty ? base : base + "?" + encoded
    }

    func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> (T, Data) {
        let data = try await send(.GET, path)
        return (try CanonicalJSON.decoder().decode(T.self, from: data), data)
    }

}

/// A failure to show the user as it is, without a stack of Swift types.
struct ClientError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
