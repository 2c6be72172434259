import ArgumentParser
import DaulatControlPlane
import DaulatCore
import Foundation

/// `daulat alliance apply`: loads an alliance definition into a running control plane;
/// `daulat alliance charter`: the document that pins the states' keys.
struct AllianceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alliance",
        abstract: "Manage the alliance's rule base and topology as a whole.",
        subcommands: [AllianceApply.self, CharterCommand.self, AllianceRulesCommand.self]
    )
}

struct AllianceApply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Add what a definition file describes and the control plane lacks (operator).",
        discussion: """
            Reads a YAML definition like Config/example/alliance.yaml, checks it whole, then adds its \
            jurisdictions, groups, classifications, sites, hosts and agreements. Anything that already \
            exists is left as it is, so applying the same file twice changes nothing. Agreements are \
            created as drafts: each enters into force once every party's authority signed it \
            (daulat agreement sign).
            """
    )

    @OptionGroup var client: ClientOptions
    @Option(help: "The definition file.") var file: String

    func run() async throws {
        let definition = try AllianceDefinitionFile.load(URL(fileURLWithPath: file))
        let api = try client.client()
        var table = Table("KIND", "ID", "RESULT")
        func add(_ kind: String, _ id: String, _ operation: () async throws -> Void) async throws {
            do {
                try await operation()
                table.add(kind, id, "added")
            } catch let error as ClientError where error.message.contains("[conflict,") {
                table.add(kind, id, "exists")
            }
        }
        for jurisdiction in definition.jurisdictions {
            try await add("jurisdiction", jurisdiction.code.rawValue) {
                _ = try await api.send(.POST, "/v1/jurisdictions", body: jurisdiction)
            }
        }
        for group in Self.dependencyOrder(definition.groups) {
            try await add("group", group.name) { _ = try await api.send(.POST, "/v1/groups", body: group) }
        }
        for classification in definition.classifications {
            try await add("classification", classification.name) {
                _ = try await api.send(.POST, "/v1/classifications", body: classification)
            }
        }
        for site in definition.sites {
            try await add("site", site.id) { _ = try await api.send(.POST, "/v1/sites", body: site) }
        }
        // Hosts are created with PUT, which would also overwrite what agents and operators have since
        // changed: add only the ones the control plane does not have.
        let (existing, _) = try await api.get("/v1/hosts", as: SiteList.Hosts.self)
        for host in definition.hosts {
            if existing.hosts.contains(where: { $0.id == host.id }) {
                table.add("host", host.id, "exists")
                continue
            }
            try await add("host", host.id) {
                _ = try await api.send(.PUT, APIClient.path("v1", "hosts", host.id), body: host)
            }
        }
        for custodian in definition.custodians {
            try await add("custodian", custodian.id) {
                _ = try await api.send(.POST, "/v1/custodians", body: custodian)
            }
        }
        for agreement in definition.agreements {
            try await add("agreement", agreement.id) {
                let body: [String: AnyEncodable] = [
                    "id": AnyEncodable(agreement.id), "name": AnyEncodable(agreement.name),
                    "parties": AnyEncodable(agreement.parties),
                    "classifications": AnyEncodable(agreement.classifications),
                    "purposes": AnyEncodable(agreement.purposes), "from": AnyEncodable(agreement.from),
                ].merging(agreement.until.map { ["until": AnyEncodable($0)] } ?? [:]) { $1 }
                _ = try await api.send(.POST, "/v1/agreements", body: body)
            }
        }
        if client.output == .json {
            let rows = table.rows.map { ["kind": $0[0], "id": $0[1], "result": $0[2]] }
            print(String(decoding: try CanonicalJSON.encoder().encode(["results": rows]), as: UTF8.self))
        } else {
            print(table.render())
        }
    }

    /// Groups that others name come first, so every member exists when a group is added.
    static func dependencyOrder(_ groups: [JurisdictionGroup]) -> [JurisdictionGroup] {
        var ordered: [JurisdictionGroup] = []
        var remaining = groups
        while !remaining.isEmpty {
            let names = Set(remaining.map(\.name))
            let ready = remaining.filter { group in group.members.allSatisfy { !names.contains($0) || $0 == group.name }
            }
            if ready.isEmpty { return ordered + remaining }
            ordered += ready
            remaining.removeAll { group in ready.contains { $0.name == group.name } }
        }
        return ordered
    }
}
