import DaulatCore
import Foundation
import Hummingbird
import NIOFoundationCompat
import Prometheus
import Yams

/// The operational endpoints: liveness, readiness and the API's own description for anyone, and the
/// metrics for the operator's monitoring (``MetricsAccess``).
struct OperationsController<Store: DaulatStore>: Sendable {
    let store: Store
    let registry: PrometheusCollectorRegistry
    let metrics: MetricsAccess<Store>

    func addRoutes(to router: Router<ControlPlaneContext>) {
        router.get("healthz") { _, _ in try JSONResponse.make(["status": "ok"]) }
        router.get("readyz") { _, _ in
            do {
                try await withDeadline(.seconds(3)) { try await store.checkReachable() }
            } catch {
                throw APIError.databaseUnavailable
            }
            return try JSONResponse.make(["status": "ready"])
        }
        router.get("metrics") { request, _ in
            try await metrics.authorize(request)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("openapi.yaml") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try OpenAPIDocument.yaml())))
        }
        router.get("openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: try OpenAPIDocument.json())))
        }
    }
}

/// The one OpenAPI 3.1 document describing the API, shipped as a resource; read and converted once.
public enum OpenAPIDocument {
    private static let loaded: Result<(yaml: String, json: Data), any Error> = Result {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw ConfigurationError("openapi.yaml is missing from this installation")
        }
        let yaml = try String(contentsOf: url, encoding: .utf8)
        let object = try Yams.load(yaml: yaml) ?? [:]
        return (yaml, try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    public static func yaml() throws -> String { try loaded.get().yaml }

    public static func json() throws -> Data { try loaded.get().json }
}
