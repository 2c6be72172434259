import ArgumentParser
import DaulatControlPlane
import DaulatCore
import Foundation

/// `daulat dataset shred …`: following and cancelling a crypto-shred (`dataset delete --shred`).
struct DatasetShredCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shred",
        abstract: "Show or cancel a dataset's crypto-shred.",
        discussion: """
            `daulat dataset delete NAME --shred` starts one. Until its pending window ends it can be \
            cancelled and the data is still readable; then the control plane drops the wrapped keys, \
            custodians destroy the dataset's keys and agents delete its copies, and the dataset is gone.
            """,
        subcommands: [DatasetShredShow.self, DatasetShredCancel.self],
        defaultSubcommand: DatasetShredShow.self
    )

    static func print(_ shreds: [DatasetShred], data: Data, format: OutputFormat) throws {
        try Output.print(data, format: format) {
            var table = Table("SHRED", "DATASET", "STATE", "REQUESTED BY", "EXECUTES", "EXECUTED", "COMPLETED")
            for shred in shreds {
                table.add(
                    shred.id, shred.datasetID, shred.state.rawValue, shred.requestedBy,
                    CanonicalJSON.format(shred.executeAt), shred.executedAt.map(CanonicalJSON.format) ?? "-",
                    shred.completedAt.map(CanonicalJSON.format) ?? "-")
            }
            return table
        }
    }
}

struct DatasetShredShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "The dataset's shreds, and who has yet to destroy or delete.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "The dataset, by name or id.") var dataset: String

    func run() async throws {
        let api = try client.client()
        let id = try await DatasetShow.resolve(dataset, with: api)
        let (status, data) = try await api.get(APIClient.path("v1", "datasets", id, "shred"), as: ShredStatus.self)
        try DatasetShredCommand.print(status.shreds, data: data, format: client.output)
        guard client.output == .table, status.shreds.first?.state == .executing else { return }
        let waiting = status.destructions.filter { $0.doneAt == nil }.map(\.custodianID)
        print("keys still to destroy at: \(waiting.isEmpty ? "none" : waiting.joined(separator: ", "))")
        print("copies still to delete on: \(status.holders.isEmpty ? "none" : status.holders.joined(separator: ", "))")
    }
}

struct DatasetShredCancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel the dataset's pending shred.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "The dataset, by name or id.") var dataset: String

    func run() async throws {
        let api = try client.client()
        let id = try await DatasetShow.resolve(dataset, with: api)
        let data = try await api.send(.DELETE, APIClient.path("v1", "datasets", id, "shred"))
        let shred = try CanonicalJSON.decoder().decode(DatasetShred.self, from: data)
        try DatasetShredCommand.print([shred], data: data, format: client.output)
    }
}
