import DaulatCore
import Hummingbird

/// `GET /v1/audit`: the audit log in order, for operators.
struct AuditController<Store: DaulatStore>: Sendable {
    let store: Store

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.get("audit") { request, context in
            _ = try context.requireOperator()
            let parameters = request.uri.queryParameters
            let after = try parameters["after"].map { value -> Int64 in
                guard let parsed = Int64(String(value)), parsed >= 0 else {
                    throw APIError.invalidParameter("'after' must be a non-negative integer (a sequence number)")
                }
                return parsed
            } ?? 0
            let limit = try parameters["limit"].map { value -> Int in
                guard let parsed = Int(String(value)), (1...1000).contains(parsed) else {
                    throw APIError.invalidParameter("'limit' must be an integer from 1 to 1000")
                }
                return parsed
            } ?? 100
            return try JSONResponse.make(["entries": try await store.auditEntries(after: after, limit: limit)])
        }
    }
}
