import ArgumentParser
import DaulatControlPlane
import DaulatCore
import Foundation

struct DatasetPut: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Upload a file as an object of a dataset, to an agent in a place the dataset may be stored.",
        discussion: """
            The control plane picks an agent among the dataset's placed hosts and signs a short-lived \
            ticket; the file goes straight to that agent over TLS, which checks its SHA-256 before \
            keeping it. Encrypt the file first: agents store whatever bytes they are given.
              daulat dataset put census-2025 census-2025.sealed
            """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The dataset, by name or id.") var dataset: String
    @Argument(help: "The file to upload.") var file: String

    func run() async throws {
        let api = try client.client()
        let url = URL(fileURLWithPath: file)
        let (sha256, size) = try ObjectTransferClient.digest(of: url)
        let id = try await DatasetShow.resolve(dataset, with: api)
        let data = try await api.send(
            .POST, APIClient.path("v1", "datasets", id, "objects"),
            body: ["sha256": AnyEncodable(sha256), "sizeBytes": AnyEncodable(size)])
        let transfer = try CanonicalJSON.decoder().decode(ObjectTransfer.self, from: data)
        try await ObjectTransferClient.upload(url, with: transfer)
        var stored = transfer.object
        stored.holders = [transfer.host]
        try Output.print(try CanonicalJSON.encoder().encode(stored), format: client.output) {
            var table = Table("OBJECT", "DATASET", "BYTES", "SHA-256", "STORED ON")
            table.add(transfer.object.id, id, "\(size)", sha256, transfer.host)
            return table
        }
    }
}

struct DatasetGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Download an object of a dataset from an agent in a place the dataset may be stored.",
        discussion: """
            Without OBJECT, the dataset's only object. The file is written whole and with the right \
            SHA-256, or not at all.
              daulat dataset get census-2025 --to census-2025.sealed
            """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The dataset, by name or id.") var dataset: String
    @Argument(help: "The object id (obj-…); optional when the dataset has one object.") var object: String?
    @Option(help: "Where to write the object.") var to: String

    func run() async throws {
        let api = try client.client()
        let id = try await DatasetShow.resolve(dataset, with: api)
        let objectID: String
        if let object {
            objectID = object
        } else {
            let (list, _) = try await api.get(APIClient.path("v1", "datasets", id, "objects"), as: ObjectList.self)
            guard list.objects.count == 1 else {
                throw ClientError(
                    message:
                        "dataset '\(dataset)' has \(list.objects.count) objects; name one (daulat dataset objects \(dataset))"
                )
            }
            objectID = list.objects[0].id
        }
        let data = try await api.send(.POST, APIClient.path("v1", "datasets", id, "objects", objectID, "download"))
        let transfer = try CanonicalJSON.decoder().decode(ObjectTransfer.self, from: data)
        try await ObjectTransferClient.download(with: transfer, to: URL(fileURLWithPath: to))
        try Output.print(try CanonicalJSON.encoder().encode(transfer.object), format: client.output) {
            var table = Table("OBJECT", "BYTES", "SHA-256", "FROM", "WRITTEN TO")
            table.add(objectID, "\(transfer.object.sizeBytes)", transfer.object.sha256, transfer.host, to)
            return table
        }
    }
}

struct DatasetObjects: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "objects", abstract: "List a dataset's objects and where they are held.")

    @OptionGroup var client: ClientOptions
    @Argument(help: "The dataset, by name or id.") var dataset: String

    func run() async throws {
        let api = try client.client()
        let id = try await DatasetShow.resolve(dataset, with: api)
        let (list, data) = try await api.get(APIClient.path("v1", "datasets", id, "objects"), as: ObjectList.self)
        try Output.print(data, format: client.output) {
            var table = Table("OBJECT", "BYTES", "SHA-256", "HELD ON")
            for object in list.objects {
                table.add(
                    object.id, "\(object.sizeBytes)", object.sha256,
                    object.holders.isEmpty ? "(not yet stored)" : object.holders.joined(separator: ", "))
            }
            return table
        }
    }
}
