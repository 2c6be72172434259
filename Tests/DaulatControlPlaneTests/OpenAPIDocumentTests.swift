import DaulatControlPlane
import DaulatTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    @Test("every operation the document describes is served")
    func everyOperationIsRouted() async throws {
        let document = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.json()) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        #expect(paths.count >= 20)
        let operations: [(path: String, method: String)] = paths.flatMap { path, methods in methods.keys.map { (path, $0) } }
        try await APIHarness.run(.sqlite) { api in
            for (path, method) in operations {
                let concrete = path.replacingOccurrences(of: #"\{[A-Za-z]+\}"#, with: "probe", options: .regularExpression)
                do {
                    let reply = try await api.admin(HTTPRequest.Method(method.uppercased())!, concrete, json: "{}")
                    #expect(reply.errorCode != "route_not_found", "\(method.uppercased()) \(path) is documented but not served")
                    #expect(reply.status != 405, "\(method.uppercased()) \(path) is documented but not served")
                    #expect(reply.status < 500, "\(method.uppercased()) \(path) answered \(reply.status)")
                }
            }
        }
    }
}
