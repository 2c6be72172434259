import DaulatCore
import Foundation
import Hummingbird

/// The audit log: its entries in order (operators), and for any token the tree heads signed over it,
/// the public key that checks them, and inclusion and consistency proofs in the form `daulat proof`
/// checks offline.
struct AuditController<Store: DaulatStore>: Sendable {
    let store: Store
    let tree: AuditTree<Store>
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.get("audit") { request, context in
            _ = try context.requireOperator()
            let parameters = request.uri.queryParameters
            // Any integer: a row numbered below the first (only a hand in the database puts one there)
            // must be as visible as the others.
            let after =
                try parameters["after"].map { value -> Int64 in
                    guard let parsed = Int64(String(value)) else {
                        throw APIError.invalidParameter("'after' must be an integer (a sequence number)")
                    }
                    return parsed
                } ?? Int64.min
            let limit = try PageLimit.parse(parameters["limit"])
            return try JSONResponse.make(["entries": try await store.auditEntries(after: after, limit: limit)])
        }
        group.get("audit/public-key") { _, context in
            _ = try context.caller()
            return try JSONResponse.make(["algorithm": "Ed25519", "publicKey": try tree.publicKey()])
        }
        group.get("audit/tree-head") { _, context in
            _ = try context.caller()
            guard let head = try await store.latestTreeHead() else {
                throw APIError(
                    .notFound, code: "no_tree_head", message: "no tree head is signed yet; POST /v1/audit/tree-heads")
            }
            return try JSONResponse.make(head)
        }
        group.post("audit/tree-heads") { _, context in
            _ = try context.requireOperator()
            return try JSONResponse.make(try await tree.publish(at: clock()), status: .created)
        }
        // Proofs are hashes only, nothing of any entry: any token may have them.
        group.get("audit/proofs/inclusion") { request, context in
            _ = try context.caller()
            let parameters = request.uri.queryParameters
            let index = try Self.integer(parameters["index"], "index")
            return try JSONResponse.make(
                try await tree.inclusionProof(
                    index: try Self.require(index, "index"), size: try await size(parameters["size"], "size")))
        }
        group.get("audit/proofs/consistency") { request, context in
            _ = try context.caller()
            let parameters = request.uri.queryParameters
            return try JSONResponse.make(
                try await tree.consistencyProof(
                    from: try Self.require(try Self.integer(parameters["from"], "from"), "from"),
                    to: try await size(parameters["to"], "to")))
        }
    }

    /// `name` as a non-negative integer, when given.
    static func integer(_ value: Substring?, _ name: String) throws -> Int64? {
        guard let value else { return nil }
        guard let parsed = Int64(String(value)), parsed >= 0 else {
            throw APIError.invalidParameter("'\(name)' must be a non-negative integer")
        }
        return parsed
    }

    static func require(_ value: Int64?, _ name: String) throws -> Int64 {
        guard let value else { throw APIError.invalidParameter("'\(name)' is required") }
        return value
    }

    /// A tree size: the one given, or the latest signed head's.
    private func size(_ value: Substring?, _ name: String) async throws -> Int64 {
        if let given = try Self.integer(value, name) {
            guard given >= 1, given <= (try await store.auditLogSize()) else {
                throw APIError.invalidParameter("'\(name)' must be from 1 to the number of entries in the log")
            }
            return given
        }
        guard let head = try await store.latestTreeHead() else {
            throw APIError(
                .notFound, code: "no_tree_head", message: "no tree head is signed yet; POST /v1/audit/tree-heads")
        }
        return head.size
    }
}
