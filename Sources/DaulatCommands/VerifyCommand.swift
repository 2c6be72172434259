import ArgumentParser
import DaulatCore
import DaulatPKI
import Foundation

/// `daulat verify FILE`: checks a signed residency report or evacuation receipt offline.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract:
            "Check a signed residency report or evacuation receipt offline, with only the alliance's audit log public key.",
        discussion: """
            Checks that the file is byte for byte what was signed, that it and its tree head are signed \
            by the key, that every audit entry it cites is in the log that head signs (RFC 6962 \
            inclusion proofs), and that what it says is what those entries record: a report's key-use \
            counts, a receipt's evacuation. Exit status 0 when all hold; 1, with the reason, when one \
            does not. Needs no network.

            With --checkpoint and --charter, a report must also be of the log the states' witnesses \
            saw: the checkpoint of the report's size (daulat audit checkpoint --size N) must carry the \
            log's signature and the cosignatures of --quorum witnesses the charter pins, the report's \
            own state's among them, over the report's very root. The quorum is a majority of the \
            pinned witnesses unless told: two views of one log cannot both gather a majority, so a \
            control plane that shows one log to some states and another to the rest is caught. A \
            smaller quorum is accepted, with a warning that it cannot rule that out.
              daulat verify id-residency.json --public-key 3q2+7w…=
              daulat verify id-residency.json --public-key 3q2+7w…= --checkpoint checkpoint.txt \
                --charter charter.json --quorum 2
              daulat verify receipt.json --public-key 3q2+7w…=
            """
    )

    @Argument(help: "The report or receipt (JSON, as daulat report residency or daulat evacuation receipt wrote it).")
    var file: String
    @Option(help: "The alliance's audit log public key (base64; `daulat audit tree-head` shows it).")
    var publicKey: String
    @Option(help: "A checkpoint note of the report's tree size, with the witnesses' cosignatures.")
    var checkpoint: String?
    @Option(help: "The alliance charter, which pins the witnesses' keys (needed with --checkpoint).")
    var charter: String?
    @Option(
        help:
            "How many witnesses must have cosigned, the report's own state's among them (default: a majority of those the charter pins)."
    )
    var quorum: Int?
    @Option(help: "Output format: table or json.") var output: OutputFormat = .table

    func run() async throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw ClientError(message: "cannot read \(file): \(error.localizedDescription)")
        }
        // A receipt's envelope says "receipt"; anything else is read as a report.
        let isReceipt =
            ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["receipt"] != nil
        let summary: String
        do {
            if isReceipt {
                let evacuation = try EvacuationReceiptVerifier.verify(data, publicKey: publicKey).receipt.evacuation
                let copy = "\(evacuation.objectID) on \(evacuation.hostID) (\(evacuation.jurisdiction.rawValue))"
                let ended = evacuation.endedAt.map(CanonicalJSON.format) ?? "?"
                let outcome: String
                switch evacuation.state {
                case .met, .missed:
                    outcome = "left at \(ended), deadline \(evacuation.state == .met ? "met" : "missed")"
                case .withdrawn: outcome = "stayed: it became allowed again at \(ended)"
                case .lost: outcome = "was lost from its host at \(ended), not released"
                default: outcome = evacuation.state.rawValue
                }
                summary =
                    "the receipt verifies: \(copy) \(outcome) (deadline \(CanonicalJSON.format(evacuation.deadline)))"
            } else {
                let report = try ResidencyReportVerifier.verify(data, publicKey: publicKey).report
                let witnessed = try witnesses(of: report)
                summary =
                    "the report verifies: \(report.jurisdiction.rawValue), generated \(CanonicalJSON.format(report.generatedAt)), \(report.storedHere.count) copies stored there, \(report.heldAbroad.count) held abroad, \(report.citedEntries.count) key uses and releases proven in the log of \(report.treeHead.size) entries"
                    + (witnessed.isEmpty
                        ? "; not checked against the states' witnesses (give --checkpoint and --charter)"
                        : ", witnessed by \(witnessed.map(\.rawValue).joined(separator: ", "))")
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(
                Data("the \(isReceipt ? "receipt" : "report") does not verify: \(error)\n".utf8))
            if output == .json { print(try CanonicalJSON.encode(ProofResult(holds: false, reason: "\(error)"))) }
            throw ExitCode(1)
        }
        switch output {
        case .json: print(try CanonicalJSON.encode(ProofResult(holds: true, reason: nil)))
        case .table: print(summary)
        }
    }

    /// The witnesses that cosigned the report's head, when a checkpoint is given; throws unless a
    /// quorum did, the report's own state among them.
    private func witnesses(of report: ResidencyReport) throws -> [JurisdictionCode] {
        guard let checkpoint else {
            guard charter == nil else { throw ValidationError("--charter goes with --checkpoint") }
            return []
        }
        guard let charter else { throw ValidationError("--checkpoint needs --charter, which pins the witnesses") }
        let pinned = try CharterFile.read(charter)
        let majority = pinned.witnesses.count / 2 + 1
        let quorum = self.quorum ?? majority
        guard quorum >= 1 else { throw ValidationError("--quorum must be at least 1") }
        if quorum < majority {
            FileHandle.standardError.write(
                Data(
                    "warning: a quorum of \(quorum) is less than a majority of the \(pinned.witnesses.count) witnesses the charter pins (\(majority)): two views of the log could each gather it\n"
                        .utf8))
        }
        guard let note = FileManager.default.contents(atPath: checkpoint).map({ String(decoding: $0, as: UTF8.self) })
        else { throw ValidationError("cannot read \(checkpoint)") }
        guard let origin = try? SignedNote(parsing: note).text.split(separator: "\n").first.map(String.init),
            let logKey = NoteKey(name: origin, type: NoteKey.ed25519, base64: publicKey)
        else { throw WitnessError("\(checkpoint) is not a checkpoint note") }
        let witnessed = try WitnessedCheckpoint.verify(note, logKey: logKey, witnesses: pinned.witnesses)
        guard witnessed.checkpoint.size == report.treeHead.size, witnessed.checkpoint.root == report.treeHead.root
        else {
            throw WitnessError(
                "the report's log head (size \(report.treeHead.size), root \(report.treeHead.root)) is not the witnessed checkpoint's (size \(witnessed.checkpoint.size), root \(witnessed.checkpoint.root)): at the same size, the log shown to you differs from the one the witnesses saw"
            )
        }
        let cosigners = witnessed.cosigners.keys.sorted { $0.rawValue < $1.rawValue }
        guard witnessed.cosigners[report.jurisdiction] != nil else {
            throw WitnessError(
                "\(report.jurisdiction.rawValue)'s own witness has not cosigned this head (cosigned by: \(cosigners.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        guard cosigners.count >= quorum else {
            throw WitnessError(
                "\(cosigners.count) of the \(quorum) witnesses needed cosigned this head (\(cosigners.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        return cosigners
    }
}
