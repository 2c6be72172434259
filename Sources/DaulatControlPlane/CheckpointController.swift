import DaulatCore
import DaulatPKI
import Foundation
import Hummingbird

/// `/v1/audit/checkpoint`: the audit log's signed heads as C2SP checkpoints, with the cosignatures of
/// the states' witnesses, so that the existing transparency tools and `daulat verify` can check that
/// every state is shown the same log. Witnesses post their cosignatures back; only those of a witness
/// the charter pins, over a head this log signed, are kept.
struct CheckpointController<Store: DaulatStore>: Sendable {
    let store: Store
    let tree: AuditTree<Store>
    let charter: EstablishedCharter<Store>
    /// The log's name: the first line of every checkpoint, and its signature's key name.
    let origin: String
    let clock: @Sendable () -> Date

    /// How far ahead of this server's clock a cosignature's time may be.
    static var clockSkew: TimeInterval { 600 }
    static var earliest: Date { Date(timeIntervalSince1970: 946_684_800) }

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.get("audit/checkpoint") { request, context in
            _ = try context.caller()
            let size = try request.uri.queryParameters["size"].map { value -> Int64 in
                guard let size = Int64(String(value)), size >= 0 else {
                    throw APIError.invalidParameter("'size' must be a tree size (a whole number)")
                }
                return size
            }
            let head: SignedTreeHead?
            if let size { head = try await store.treeHead(size: size) } else { head = try await store.latestTreeHead() }
            guard let head else {
                throw APIError(
                    .notFound, code: "no_tree_head",
                    message: size.map { "no tree head of size \($0) was signed" }
                        ?? "no tree head is signed yet; POST /v1/audit/tree-heads")
            }
            let checkpoint = Checkpoint(origin: origin, size: head.size, root: head.root)
            var note = SignedNote(text: checkpoint.text, signatures: [try tree.sign(checkpoint)])
            for kept in try await store.cosignatures(size: head.size) where kept.root == head.root {
                note.signatures += try SignedNote(parsing: checkpoint.text + "\n" + kept.line).signatures
            }
            return TextResponse.make(note.formatted, type: "text/plain; charset=utf-8")
        }
        group.get("audit/witnesses") { _, context in
            _ = try context.caller()
            return try JSONResponse.make(["witnesses": try await store.latestCosignatures()])
        }
        group.post("audit/checkpoint/cosignatures") { request, context in
            // Any token: the cosignature is checked against the charter, not against who carries it.
            _ = try context.caller()
            let body = try await RequestBody.decode(Strict<CosignatureSubmission>.self, from: request).value
            let note: SignedNote
            do {
                note = try SignedNote(parsing: body.checkpoint)
            } catch let error as NoteError {
                throw APIError(.unprocessableContent, code: error.code, message: error.description)
            }
            guard let checkpoint = Checkpoint(text: note.text), checkpoint.origin == origin else {
                throw APIError(
                    .unprocessableContent, code: "not_a_checkpoint",
                    message: "not a checkpoint of this log (its first line must be '\(origin)')")
            }
            guard let head = try await store.treeHead(size: checkpoint.size) else {
                throw APIError(
                    .notFound, code: "checkpoint_unknown", message: "this log signed no head of size \(checkpoint.size)"
                )
            }
            guard head.root == checkpoint.root else {
                throw APIError(
                    .conflict, code: "checkpoint_conflict",
                    message: "this log's head of size \(checkpoint.size) has another root; it never signed this one")
            }
            guard let pinned = try await charter.current() else {
                throw APIError(
                    .conflict, code: "charter_not_established",
                    message: "no alliance charter is established, so no witness is known")
            }
            var accepted: [JurisdictionCode] = []
            for (jurisdiction, key) in pinned.witnesses.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                for line in key.lines(in: note) {
                    guard let time = key.cosignedAt(line, over: note.text) else {
                        throw APIError(
                            .unprocessableContent, code: "cosignature_invalid",
                            message: "the cosignature of \(key.name) does not verify")
                    }
                    // A witness states when it cosigned: not before this log could exist, not ahead of now.
                    guard time >= Self.earliest, time <= clock().addingTimeInterval(Self.clockSkew) else {
                        throw APIError(
                            .unprocessableContent, code: "cosignature_time_invalid",
                            message:
                                "the cosignature of \(key.name) states a time before 2000 or more than \(Int(Self.clockSkew)) seconds ahead of this server's clock"
                        )
                    }
                    _ = try await store.addCosignature(
                        StoredCosignature(
                            jurisdiction: jurisdiction, size: checkpoint.size, root: checkpoint.root, cosignedAt: time,
                            line: line.line))
                    accepted.append(jurisdiction)
                }
            }
            guard !accepted.isEmpty else {
                throw APIError(
                    .unprocessableContent, code: "cosignature_invalid",
                    message: "the note carries no cosignature of a witness the alliance charter pins")
            }
            return try JSONResponse.make(CosignatureReceipt(size: checkpoint.size, accepted: accepted))
        }
    }
}
