import ArgumentParser
import DaulatControlPlane
import DaulatCore
import Foundation

struct CustodyRotate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Rotate a custodian's key-encryption key for a dataset.",
        discussion: """
            The custodian learns of it at its next heartbeat: it makes a new key version, re-wraps every \
            data key of the dataset it holds to it (the sealed objects are not touched), and destroys the \
            old versions once the control plane confirms nothing uses them. Follow it with \
            `daulat custody tasks CUSTODIAN`.
              daulat custody rotate id-custodian-1 --dataset census-2025
            """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The custodian.") var custodian: String
    @Option(help: "The dataset, by name or id.") var dataset: String

    func run() async throws {
        let api = try client.client()
        let id = try await DatasetShow.resolve(dataset, with: api)
        let data = try await api.send(
            .POST, APIClient.path("v1", "custodians", custodian, "rotate"), body: ["datasetID": AnyEncodable(id)])
        let task = try CanonicalJSON.decoder().decode(CustodyTask.self, from: data)
        try CustodyTasks.print([task], data: data, format: client.output)
    }
}

struct CustodyTasks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "A custodian's work: key destructions (shreds) and rotations, done or open.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "The custodian.") var custodian: String

    func run() async throws {
        let (list, data) = try await client.client().get(
            APIClient.path("v1", "custodians", custodian, "tasks"), as: CustodyTaskList.self)
        try Self.print(list.tasks, data: data, format: client.output)
    }

    static func print(_ tasks: [CustodyTask], data: Data, format: OutputFormat) throws {
        try Output.print(data, format: format) {
            var table = Table("TASK", "CUSTODIAN", "KIND", "DATASET", "REQUESTED", "DONE", "OUTCOME")
            for task in tasks {
                table.add(
                    task.id, task.custodianID, task.kind.rawValue, task.datasetID,
                    CanonicalJSON.format(task.requestedAt), task.doneAt.map(CanonicalJSON.format) ?? "open",
                    task.outcome ?? "-")
            }
            return table
        }
    }
}
