import AsyncHTTPClient
import Crypto
import DaulatCore
import DaulatTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

/// A data owner's unwrap, spoken over HTTP as any client would: a decision from the control plane,
/// then the key from the custodian it names, so tests can keep a release aside or open it themselves.
enum KeyReleaseClient {
    /// The control plane's answer to an unwrap request for the dataset's only object, as JSON, with
    /// the object's id added as `objectID`.
    static func release(
        of datasetID: String, port: Int, client: HTTPClient, token: String, requesterKey: P256.KeyAgreement.PrivateKey,
        owner: TestMember?
    ) async throws -> [String: Any] {
        func call(_ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> [String: Any] {
            var request = HTTPClientRequest(url: "https://127.0.0.1:\(port)\(path)")
            request.method = method
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: body))
            }
            let response = try await client.execute(request, timeout: .seconds(30))
            let data = try await response.body.collect(upTo: 1 << 20)
            return try #require(try JSONSerialization.jsonObject(with: Data(buffer: data)) as? [String: Any])
        }
        let objects = try await call(.GET, "/v1/datasets/\(datasetID)/objects")["objects"] as? [[String: Any]]
        let objectID = try #require(objects?.first?["id"] as? String)
        let publicKey = requesterKey.publicKey.x963Representation.base64EncodedString()
        let request = UnwrapRequest(
            datasetID: datasetID, objectID: objectID, jurisdiction: try JurisdictionCode("ID"),
            justification: .ownerAccess)
        var release = try await call(
            .POST, "/v1/datasets/\(datasetID)/objects/\(objectID)/unwrap",
            body: try #require(owner).unwrapBody(request, requesterKey: publicKey))
        release["objectID"] = objectID
        return release
    }

    /// Presents a release to the custodian of its first key; the HTTP status and body.
    static func unwrap(_ release: [String: Any]) async throws -> (status: Int, body: String) {
        let authority = try #require(release["caCertificate"] as? String)
        let custodian = try #require((release["custodians"] as? [[String: Any]])?.first?["url"] as? String)
        let key = try #require((release["keys"] as? [[String: Any]])?.first)
        let body = try JSONSerialization.data(
            withJSONObject: [
                "decision": release["decision"] as Any, "objectID": release["objectID"] as Any, "key": key,
            ]
        )
        return try await TrustingClient.post(body, to: custodian + "/v1/unwrap", trusting: authority)
    }
}
