import ArgumentParser
import DaulatControlPlane
import DaulatCore
import Foundation

/// `daulat dataset …`: what data owners do.
struct DatasetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract:
            "Register datasets, see where their copies must live, store and fetch their objects, change their policy, delete them.",
        subcommands: [
            DatasetRegister.self, DatasetList.self, DatasetShow.self, DatasetDelete.self, DatasetPut.self,
            DatasetGet.self, DatasetObjects.self, DatasetRecoveryCommand.self, DatasetShredCommand.self,
            DatasetHistory.self,
        ]
    )
}

struct DatasetRegister: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a dataset and show where it will be placed.",
        discussion: """
            Policy options may only narrow the classification's defaults.
            Example: daulat dataset register --name census-2025 --classification restricted --home ID --replicas 3
            """
    )

    @OptionGroup var client: ClientOptions
    @Option(help: "Dataset name: a-z, 0-9 and '-', unique within the agency.") var name: String
    @Option(help: "Classification, e.g. public, internal, restricted, secret.") var classification: String
    @Option(help: "Home jurisdiction (ISO 3166-1 alpha-2), e.g. ID.") var home: String
    @Option(help: "Owning agency (operators only; an owner token implies its agency).") var ownerAgency: String?
    @Option(help: "Number of copies.") var replicas: Int?
    @Option(help: "Minimum number of distinct sites.") var minSites: Int?
    @Option(help: "Comma-separated jurisdictions where ciphertext may be stored, e.g. ID,SG.") var storage: String?
    @Option(help: "Comma-separated jurisdictions where keys may be held.") var keys: String?
    @Option(help: "Comma-separated jurisdictions where plaintext may be processed.") var processing: String?
    @Flag(help: "Allow a data-embassy copy (ciphertext abroad, keys at home) if the classification permits.")
    var dataEmbassy = false
    @Option(
        help: ArgumentHelp(
            "Split each data key K-of-N across custodians in N jurisdictions, e.g. 2-of-3: any K open it, no one state alone.",
            valueName: "K-of-N"))
    var keySplit: String?
    @Option(help: "Idempotency key: retrying with the same key returns the first result.") var idempotencyKey: String?

    func validate() throws {
        if let keySplit { _ = try Self.split(keySplit) }
    }

    func run() async throws {
        var policy: [String: AnyEncodable] = [:]
        if let replicas { policy["replicas"] = AnyEncodable(replicas) }
        if let minSites { policy["minDistinctSites"] = AnyEncodable(minSites) }
        if let storage { policy["storage"] = AnyEncodable(Self.codes(storage)) }
        if let keys { policy["keys"] = AnyEncodable(Self.codes(keys)) }
        if let processing { policy["processing"] = AnyEncodable(Self.codes(processing)) }
        if dataEmbassy { policy["dataEmbassyAllowed"] = AnyEncodable(true) }
        if let keySplit { policy["keySplit"] = AnyEncodable(try Self.split(keySplit)) }
        var body: [String: AnyEncodable] = [
            "name": AnyEncodable(name), "classification": AnyEncodable(classification), "home": AnyEncodable(home),
            "policy": AnyEncodable(policy),
        ]
        if let ownerAgency { body["ownerAgency"] = AnyEncodable(ownerAgency) }
        let data = try await client.client().send(
            .POST, "/v1/datasets", body: body, headers: idempotencyKey.map { [("Idempotency-Key", $0)] } ?? []
        )
        try DatasetShow.print(data, format: client.output)
    }

    static func split(_ text: String) throws -> KeySplit {
        let parts = text.lowercased().components(separatedBy: "-of-")
        guard parts.count == 2, let threshold = Int(parts[0]), let shares = Int(parts[1]) else {
            throw ValidationError("--key-split takes K-of-N, e.g. 2-of-3 (got '\(text)')")
        }
        return KeySplit(threshold: threshold, shares: shares)
    }

    static func codes(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
    }
}

struct DatasetList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the datasets your token may see.")

    @OptionGroup var client: ClientOptions
    @Option(help: "Only datasets at home in this jurisdiction.") var home: String?
    @Option(help: "Only datasets of this classification.") var classification: String?
    @Option(help: "Only datasets of this agency (operators).") var owner: String?
    @Option(help: "Page size (1-1000).") var limit = 100
    @Option(help: "Continue from the cursor printed by a previous page.") var cursor: String?

    func run() async throws {
        let path = APIClient.path(
            "/v1/datasets",
            query: [
                ("limit", "\(limit)"), ("home", home), ("classification", classification), ("owner", owner),
                ("cursor", cursor),
            ]
        )
        let (page, data) = try await client.client().get(path, as: DaulatControlPlane.DatasetList.self)
        try Output.print(data, format: client.output) {
            var table = Table("ID", "NAME", "AGENCY", "HOME", "CLASSIFICATION", "REPLICAS")
            for dataset in page.datasets {
                table.add(
                    dataset.id, dataset.name, dataset.ownerAgency, dataset.home.rawValue, dataset.classification,
                    dataset.policy.replicas.map(String.init) ?? "default"
                )
            }
            if let next = page.nextCursor { table.add("(more: --cursor \(next))", "", "", "", "", "") }
            return table
        }
    }
}

struct DatasetShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a dataset, its policy evaluated now, and where its copies must be, with reasons."
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "Dataset id (ds-…) or name.") var dataset: String

    func run() async throws {
        let api = try client.client()
        let id = try await DatasetShow.resolve(dataset, with: api)
        try DatasetShow.print(try await api.send(.GET, APIClient.path("v1", "datasets", id)), format: client.output)
    }

    /// Accepts an id or a name; a name is looked up among the datasets the token may see.
    static func resolve(_ idOrName: String, with api: APIClient) async throws -> String {
        if idOrName.hasPrefix("ds-") { return idOrName }
        let (page, _) = try await api.get(
            APIClient.path("/v1/datasets", query: [("name", idOrName)]), as: DaulatControlPlane.DatasetList.self)
        switch page.datasets.count {
        case 0: throw ClientError(message: "no dataset named '\(idOrName)' that this token may see")
        case 1: return page.datasets[0].id
        default:
            throw ClientError(
                message:
                    "several agencies have a dataset named '\(idOrName)'; use its id: \(page.datasets.map(\.id).joined(separator: ", "))"
            )
        }
    }

    static func print(_ data: Data, format: OutputFormat) throws {
        let view = try CanonicalJSON.decoder().decode(DatasetView.self, from: data)
        try Output.print(data, format: format) {
            let dataset = view.dataset
            let policy = view.evaluatedPolicy
            Swift.print(
                "\(dataset.name) (\(dataset.id)), agency \(dataset.ownerAgency), home \(dataset.home), \(dataset.classification)"
            )
            Swift.print(
                "replicas \(policy.replicas), distinct sites >= \(policy.minDistinctSites), home replica \(policy.homeReplicaRequired ? "required" : "optional"), keys \(policy.keySplit.map { "split \($0.threshold)-of-\($0.shares)" } ?? "whole")"
            )
            for use in JurisdictionUse.allCases {
                let allowed = policy.verdicts(for: use).filter(\.allowed).map {
                    $0.embassyOnly ? "\($0.jurisdiction)(embassy)" : $0.jurisdiction.rawValue
                }
                Swift.print("\(use.rawValue) allowed in: \(allowed.joined(separator: ", "))")
            }
            for violation in view.placement?.violations ?? [] {
                Swift.print("VIOLATION \(violation.kind.rawValue): \(violation.message)")
            }
            Swift.print("")
            var table = Table("HOST", "SITE", "JURISDICTION", "WHY")
            for choice in view.placement?.choices ?? [] {
                table.add(choice.hostID, choice.siteID, choice.jurisdiction.rawValue, choice.explanation)
            }
            return table
        }
    }
}

struct DatasetDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a dataset, or crypto-shred it.",
        discussion: """
            Without --shred the dataset's record goes and its objects are forgotten. With --shred its \
            data is made unreadable for good: after a pending window (the server's, or a longer --window; \
            cancel with `daulat dataset shred cancel`), custodians destroy the dataset's keys and agents \
            delete its copies, so that even a copy of the ciphertext kept aside cannot be opened.
              daulat dataset delete census-2025 --shred
              daulat dataset shred census-2025          # its state, and who has yet to act
            """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "Dataset id (ds-…) or name.") var dataset: String
    @Flag(help: "Destroy the dataset's keys and copies after the pending window.") var shred = false
    @Option(help: "Seconds of pending window, when longer than the server's.") var window: Int?

    func validate() throws {
        if window != nil && !shred { throw ValidationError("--window goes with --shred") }
    }

    func run() async throws {
        let api = try client.client()
        let id = try await DatasetShow.resolve(dataset, with: api)
        guard shred else {
            _ = try await api.send(.DELETE, APIClient.path("v1", "datasets", id))
            if client.output == .json { print(#"{"deleted":"\#(id)"}"#) } else { print("deleted \(id)") }
            return
        }
        var body: [String: AnyEncodable] = [:]
        if let window { body["windowSeconds"] = AnyEncodable(window) }
        let data = try await api.send(.POST, APIClient.path("v1", "datasets", id, "shred"), body: body)
        let requested = try CanonicalJSON.decoder().decode(DatasetShred.self, from: data)
        try DatasetShredCommand.print([requested], data: data, format: client.output)
        if client.output == .table {
            print(
                "\nShredded at \(CanonicalJSON.format(requested.executeAt)) unless cancelled: daulat dataset shred cancel \(dataset)"
            )
        }
    }
}

/// Lets the CLI build request bodies from a few optional values without a type per body.
struct AnyEncodable: Encodable, @unchecked Sendable {
    let encodeValue: (any Encoder) throws -> Void
    /// Encodes through a container rather than `value.encode(to:)`, so the encoder's date strategy applies.
    init<Value: Encodable>(_ value: Value) {
        encodeValue = { encoder in
            var container = encoder.singleValueContainer()
            try container.encode(value)
        }
    }
    func encode(to encoder: any Encoder) throws { try encodeValue(encoder) }
}
