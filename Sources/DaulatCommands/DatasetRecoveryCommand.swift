import ArgumentParser
import DaulatControlPlane
import DaulatCore
import Foundation

/// `daulat dataset recovery …`: an operator's disaster-recovery activation for a dataset, the one thing
/// that lets its keys be opened at its home state's data embassy abroad.
struct DatasetRecoveryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recovery",
        abstract: "Declare, end or show a disaster-recovery activation (operators).",
        discussion: """
            A dataset whose ciphertext is kept at its home state's data embassy abroad has its keys opened \
            there only while an activation is in force, and only for --justification disaster-recovery. \
            Declaring and ending are audited with who, when and why.
              daulat dataset recovery declare population --reason "Tallinn data centres offline" --hours 72
              daulat dataset get population --to population.csv --jurisdiction LU --justification disaster-recovery
              daulat dataset recovery end population
            """,
        subcommands: [DatasetRecoveryDeclare.self, DatasetRecoveryEnd.self, DatasetRecoveryShow.self],
        defaultSubcommand: DatasetRecoveryShow.self
    )

    static func print(_ activations: [DisasterRecoveryActivation], data: Data, format: OutputFormat) throws {
        try Output.print(data, format: format) {
            var table = Table("ACTIVATION", "DATASET", "DECLARED", "BY", "UNTIL", "ENDED", "REASON")
            for activation in activations {
                table.add(
                    activation.id, activation.datasetID, CanonicalJSON.format(activation.declaredAt),
                    activation.declaredBy, CanonicalJSON.format(activation.until),
                    activation.endedAt.map { "\(CanonicalJSON.format($0)) by \(activation.endedBy ?? "?")" } ?? "-",
                    activation.reason)
            }
            return table
        }
    }
}

struct DatasetRecoveryDeclare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "declare", abstract: "Declare a disaster-recovery activation for a dataset.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "The dataset, by name or id.") var dataset: String
    @Option(help: "What happened, for the audit log and the regulator (at most 200 characters).") var reason: String
    @Option(help: "How long it stays in force unless ended (1 to 720 hours).") var hours = 24

    func validate() throws {
        guard (1...720).contains(hours) else { throw ValidationError("--hours must be from 1 to 720") }
    }

    func run() async throws {
        let api = try client.client()
        let id = try await DatasetShow.resolve(dataset, with: api)
        let data = try await api.send(
            .POST, APIClient.path("v1", "datasets", id, "disaster-recovery"),
            body: [
                "reason": AnyEncodable(reason),
                "until": AnyEncodable(Date().addingTimeInterval(TimeInterval(hours) * 3_600)),
            ])
        let activation = try CanonicalJSON.decoder().decode(DisasterRecoveryActivation.self, from: data)
        try DatasetRecoveryCommand.print([activation], data: data, format: client.output)
    }
}

struct DatasetRecoveryEnd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "end", abstract: "End the dataset's disaster-recovery activation now.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "The dataset, by name or id.") var dataset: String

    func run() async throws {
        let api = try client.client()
        let id = try await DatasetShow.resolve(dataset, with: api)
        let data = try await api.send(.DELETE, APIClient.path("v1", "datasets", id, "disaster-recovery"))
        let activation = try CanonicalJSON.decoder().decode(DisasterRecoveryActivation.self, from: data)
        try DatasetRecoveryCommand.print([activation], data: data, format: client.output)
    }
}

struct DatasetRecoveryShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show whether an activation is in force, and every one declared.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "The dataset, by name or id.") var dataset: String

    func run() async throws {
        let api = try client.client()
        let id = try await DatasetShow.resolve(dataset, with: api)
        let (list, data) = try await api.get(
            APIClient.path("v1", "datasets", id, "disaster-recovery"), as: DisasterRecoveryList.self)
        if client.output == .table {
            print(list.inForce ? "in force: keys may be opened at the data embassy" : "not in force")
        }
        try DatasetRecoveryCommand.print(list.activations, data: data, format: client.output)
    }
}
