import ArgumentParser
import Crypto
import DaulatAgent
import DaulatControlPlane
import DaulatCore
import Foundation

struct DatasetPut: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Seal a file here and upload it as an object of a dataset, to an agent in an allowed place.",
        discussion: """
            The file is sealed on this machine (AES-256-GCM, 64 KiB chunks, a fresh data key per object) \
            and its data key is wrapped to the custodians of the jurisdictions where the dataset's keys \
            may be held; the control plane keeps only the wrapped keys. The sealed bytes go straight to an \
            agent the control plane picked among the dataset's placed hosts, which checks their SHA-256.
              daulat dataset put census-2025 census-2025.csv
            """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The dataset, by name or id.") var dataset: String
    @Argument(help: "The file to upload.") var file: String

    func run() async throws {
        let api = try client.client()
        let id = try await DatasetShow.resolve(dataset, with: api)
        let objectID = Identifier.random(prefix: "obj-", length: 20)
        let keyID = Identifier.random(prefix: "dk-", length: 20)
        let sealed = FileManager.default.temporaryDirectory.appendingPathComponent("daulat-\(objectID).sealed")
        defer { try? FileManager.default.removeItem(at: sealed) }
        let dataKey = try SealedFile.seal(URL(fileURLWithPath: file), to: sealed, keyID: keyID, objectID: objectID)
        let (sha256, size) = try ObjectTransferClient.digest(of: sealed)
        let (transfer, keys) = try await ObjectRegistration.register(
            objectID: objectID, keyID: keyID, dataKey: dataKey, sha256: sha256, sizeBytes: size, dataset: id,
            custody: try await CustodyKeys.fetch(dataset: id, api: api), api: api)
        try await ObjectTransferClient.upload(sealed, with: transfer, api: api)
        var stored = transfer.object
        stored.holders = [transfer.host]
        try Output.print(try CanonicalJSON.encoder().encode(stored), format: client.output) {
            var table = Table("OBJECT", "DATASET", "SEALED BYTES", "KEY HELD BY", "STORED ON")
            table.add(objectID, id, "\(size)", keys.map(\.custodianID).joined(separator: ", "), transfer.host)
            return table
        }
    }
}

struct DatasetGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Download an object of a dataset and open it here, with its key from the custodians.",
        discussion: """
            Without OBJECT, the dataset's only object. The sealed bytes come from an agent in a place the \
            dataset may be stored. The control plane decides, by the dataset's policy now, whether its key \
            may be opened in --jurisdiction (where you will process it) for --justification, records the \
            request either way, and signs a one-time decision; custodians release the key re-wrapped to a \
            key made here for this one read. The file is written whole and authenticated, or not at all.
              daulat dataset get census-2025 --to census-2025.csv
              daulat dataset get census-2025 --to copy.csv --justification regulator-order --reference "ORD-2026-17"
            """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The dataset, by name or id.") var dataset: String
    @Argument(help: "The object id (obj-…); optional when the dataset has one object.") var object: String?
    @Option(help: "Where to write the opened file.") var to: String
    @Option(help: "Where the plaintext will be processed (default: the dataset's home jurisdiction).")
    var jurisdiction: String?
    @Option(
        help: ArgumentHelp(
            "Why the key is needed: \(Justification.allCases.map(\.rawValue).joined(separator: ", ")).",
            valueName: "justification"))
    var justification = Justification.ownerAccess.rawValue
    @Option(help: "The order or request a regulator's or law-enforcement justification rests on.")
    var reference: String?

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
        let processingIn: String
        if let jurisdiction {
            processingIn = jurisdiction.uppercased()
        } else {
            processingIn = try await api.get(APIClient.path("v1", "datasets", id), as: DatasetView.self).0.dataset.home
                .rawValue
        }
        let destination = URL(fileURLWithPath: to)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ClientError(message: "\(to) is a directory; --to names the file to write")
        }
        // The key first: a refused request costs no download.
        let requesterKey = P256.KeyAgreement.PrivateKey()
        var body: [String: AnyEncodable] = [
            "jurisdiction": AnyEncodable(processingIn), "justification": AnyEncodable(justification),
            "requesterKey": AnyEncodable(requesterKey.publicKey.x963Representation.base64EncodedString()),
        ]
        if let reference { body["reference"] = AnyEncodable(reference) }
        let release = try CanonicalJSON.decoder().decode(
            KeyRelease.self,
            from: try await api.send(
                .POST, APIClient.path("v1", "datasets", id, "objects", objectID, "unwrap"), body: body))
        let authority = try await api.authority(matching: release.caCertificate)
        let (dataKey, keyID) = try await ObjectClient.withClient(
            trusting: authority, peers: try release.custodians.map { try $0.peer() }
        ) { custodians in
            try await CustodyClient.recover(release, objectID: objectID, requesterKey: requesterKey, client: custodians)
        }
        let data = try await api.send(.POST, APIClient.path("v1", "datasets", id, "objects", objectID, "download"))
        let transfer = try CanonicalJSON.decoder().decode(ObjectTransfer.self, from: data)
        let sealed = FileManager.default.temporaryDirectory.appendingPathComponent(
            "daulat-\(objectID)-\(UInt64.random(in: 0...UInt64.max)).sealed")
        defer { try? FileManager.default.removeItem(at: sealed) }
        try await ObjectTransferClient.download(with: transfer, to: sealed, api: api)
        try SealedFile.open(sealed, to: destination, dataKey: dataKey, objectID: objectID, keyID: keyID)
        try Output.print(try CanonicalJSON.encoder().encode(transfer.object), format: client.output) {
            var table = Table("OBJECT", "SEALED BYTES", "FROM", "KEY FROM", "WRITTEN TO")
            table.add(
                objectID, "\(transfer.object.sizeBytes)", transfer.host,
                release.keys.map(\.custodianID).joined(separator: ", "), to)
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
