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
            A key goes only to a custodian whose own state signed it in: each custodian signs the key it \
            offers with its identity key, which must be the one its state's signed record of its ground \
            pins; the records are checked against --charter, the alliance charter your state gave you. \
            A custodian the operator enrols in another's name, or one its state has not signed in, gets \
            nothing and the upload stops before anything is sealed for it.
              daulat dataset put census-2025 census-2025.csv --charter charter.json
            """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The dataset, by name or id.") var dataset: String
    @Argument(help: "The file to upload.") var file: String
    @Option(
        help: ArgumentHelp(
            "The alliance charter your state gave you (or DAULAT_CHARTER): whose signed records say which custodians may hold keys.",
            valueName: "file"))
    var charter: String?

    func run() async throws {
        let api = try client.client()
        let charter = try CharterFile.resolve(charter)
        let id = try await DatasetShow.resolve(dataset, with: api)
        let objectID = Identifier.random(prefix: "obj-", length: 20)
        let keyID = Identifier.random(prefix: "dk-", length: 20)
        let sealed = FileManager.default.temporaryDirectory.appendingPathComponent("daulat-\(objectID).sealed")
        defer { try? FileManager.default.removeItem(at: sealed) }
        let dataKey = try SealedFile.seal(URL(fileURLWithPath: file), to: sealed, keyID: keyID, objectID: objectID)
        let (sha256, size) = try ObjectTransferClient.digest(of: sealed)
        let (transfer, keys) = try await ObjectRegistration.register(
            objectID: objectID, keyID: keyID, dataKey: dataKey, sha256: sha256, sizeBytes: size, dataset: id,
            custody: try await CustodyKeys.fetch(dataset: id, api: api, charter: charter), api: api)
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
            dataset may be stored. Your member key signs a consent for this one read (the object, \
            --jurisdiction where you will process it, --justification, a key made here for it); the \
            control plane checks it, decides by the dataset's policy now, records the request either way, \
            and signs a one-time decision; each custodian checks both signatures — the consent against \
            the alliance charter it pinned — and releases the key re-wrapped to the key made here. No \
            token, the operator's included, reads data without the owning agency's signature. A \
            regulator's order or a law-enforcement request is signed by the home state's authority \
            instead (--authority-key). The file is written whole and authenticated, or not at all.
              daulat dataset get census-2025 --to census-2025.csv \
                --member-key bps.pem --member-certificate bps.member
              daulat dataset get census-2025 --to copy.csv --justification regulator-order --reference "ORD-2026-17" \
                --authority-key ID.pem
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
    @Option(help: "The owning agency's member key (PEM; default DAULAT_MEMBER_KEY), which signs the consent.")
    var memberKey: String?
    @Option(help: "Its state's certificate for that key (default DAULAT_MEMBER_CERTIFICATE).")
    var memberCertificate: String?
    @Option(help: "For an order: the home state's authority key (PEM), which signs it instead of the agency.")
    var authorityKey: String?

    func run() async throws {
        let signer = try ConsentSigner.resolve(
            memberKey: memberKey, memberCertificate: memberCertificate, authorityKey: authorityKey)
        guard let justification = Justification(rawValue: self.justification) else {
            throw ValidationError(
                "--justification must be one of \(Justification.allCases.map(\.rawValue).joined(separator: ", "))")
        }
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
        let processingIn: JurisdictionCode
        if let jurisdiction {
            processingIn = try OptionParsing.jurisdiction(jurisdiction)
        } else {
            processingIn = try await api.get(APIClient.path("v1", "datasets", id), as: DatasetView.self).0.dataset.home
        }
        let destination = URL(fileURLWithPath: to)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ClientError(message: "\(to) is a directory; --to names the file to write")
        }
        // The key first: a refused request costs no download.
        let requesterKey = P256.KeyAgreement.PrivateKey()
        let body = try signer.body(
            for: UnwrapRequest(
                datasetID: id, objectID: objectID, jurisdiction: processingIn, justification: justification,
                reference: reference),
            requesterKey: requesterKey.publicKey.x963Representation.base64EncodedString())
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
