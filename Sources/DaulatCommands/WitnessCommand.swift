import ArgumentParser
import DaulatCore
import DaulatCrypto
import DaulatFiles
import DaulatPKI
import Foundation

/// `daulat witness`: a state's witness of the audit log. It cosigns each new checkpoint only after
/// checking it extends the last one it cosigned, so a control plane that shows one log to this state
/// and another to the next cannot collect both states' cosignatures on either.
struct WitnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness",
        abstract: "Run a state's witness: cosign the audit log's checkpoints that extend what it saw.",
        discussion: """
            Each state runs its own, with a witness key the charter pins for it (daulat authority \
            keygen makes one; the charter's authorities list it as witnessKey). Every --interval it \
            fetches the log's checkpoint, checks the log's signature (--log-key, from daulat audit \
            tree-head), checks with a consistency proof that it extends the last checkpoint it \
            cosigned (kept in --state-dir), cosigns it (c2sp.org/tlog-cosignature) and hands the \
            cosignature back. A checkpoint that does not extend it — a smaller one, another root at \
            the same size, a failed proof — is never cosigned: the witness says so and exits 1.

            Example (with a regulator token of Indonesia):
              daulat witness --jurisdiction ID --key id-witness.pem --log-key 3q2+7w…= \\
                --state-dir /var/lib/daulat-witness --interval 30
            """)

    @OptionGroup var client: ClientOptions
    @Option(help: "The jurisdiction whose witness this is.") var jurisdiction: String
    @Option(help: "The witness key (PEM), whose public half the charter pins.") var key: String
    @Option(help: "The alliance's instance, as the charter names it (the witness's name starts with it).")
    var instance = "ASEAN"
    @Option(help: "The audit log's public key (base64).") var logKey: String
    @Option(help: "Where the last checkpoint cosigned is kept.") var stateDir: String
    @Option(help: "Seconds between rounds.") var interval = 30
    @Flag(help: "One round, then exit.") var once = false

    func run() async throws {
        let code = try OptionParsing.jurisdiction(jurisdiction)
        let signingKey = try StateKeyFiles.read(key)
        let name = Checkpoint.witnessName(instance: instance, jurisdiction: code)
        var api = try client.client()
        api.keepsConnections = once
        let witness = LogWitness(
            name: name, key: signingKey, logKey: logKey,
            stateFile: URL(fileURLWithPath: stateDir).appendingPathComponent("witnessed-checkpoint"))
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        while true {
            do {
                let cosigned = try await witness.round(api: api)
                FileHandle.standardOutput.write(
                    Data("cosigned \(cosigned.origin) at size \(cosigned.size) as \(name)\n".utf8))
            } catch let refusal as LogWitness.Refusal {
                FileHandle.standardError.write(Data("refusing to cosign: \(refusal)\n".utf8))
                throw ExitCode(1)
            }
            if once { return }
            try await Task.sleep(for: .seconds(interval))
        }
    }
}
