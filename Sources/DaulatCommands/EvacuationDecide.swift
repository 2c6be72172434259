import ArgumentParser
import DaulatCore
import DaulatPKI
import Foundation

/// `daulat evacuation decide`: a dataset's home state decides what happens to a quarantined copy.
struct EvacuationDecide: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Decide, as the dataset's home state, to keep a quarantined copy until a date or destroy it.",
        discussion: """
            A quarantined copy has nowhere allowed to go. Only the authority of the state whose dataset it \
            is decides what becomes of it; the operator or your regulator hands the signed decision in. \
            --keep-until keeps it where it is, still refused for reads, and makes that date its deadline \
            (at most three years on); --destroy has it deleted once a verified copy that stays exists \
            elsewhere, never the last one. A later decision replaces an earlier one.

            Examples:
              daulat evacuation decide evac-1a2b… --keep-until 2027-06-30 --authority-key sg-authority.pem
              daulat evacuation decide evac-1a2b… --destroy --authority-key sg-authority.pem
            """
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var authority: AuthorityKeyOption
    @Argument(help: "The evacuation (evac-…), as daulat evacuation list --open shows it.") var id: String
    @Option(help: "Keep the copy where it is until this date (ISO 8601).") var keepUntil: String?
    @Flag(help: "Destroy the copy once a verified copy that stays exists elsewhere.") var destroy = false

    func validate() throws {
        guard (keepUntil != nil) != destroy else {
            throw ValidationError("decide one thing: --keep-until DATE or --destroy")
        }
    }

    func run() async throws {
        let api = try client.client()
        let path = APIClient.path("v1", "evacuations", id)
        let (evacuation, _) = try await api.get(path, as: Evacuation.self)
        let (key, jurisdiction) = try await authority.resolve(with: api)
        let decision = QuarantineDecision(
            evacuationID: evacuation.id, objectID: evacuation.objectID, hostID: evacuation.hostID,
            jurisdiction: jurisdiction, action: destroy ? .destroy : .keep,
            until: try keepUntil.map(AgreementCreate.date), issuedAt: CanonicalJSON.rounded(Date()))
        let signed = try StateSignedDocument.sign(decision, purpose: QuarantineDecision.signaturePurpose, with: key)
        let data = try await api.send(
            .POST, APIClient.path("v1", "evacuations", id, "decision"), body: ["decision": signed])
        let decided = try CanonicalJSON.decoder().decode(Evacuation.self, from: data)
        try Output.print(data, format: client.output) { EvacuationCommand.table([decided]) }
    }
}
