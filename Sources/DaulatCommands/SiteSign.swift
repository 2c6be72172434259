import ArgumentParser
import DaulatControlPlane
import DaulatCore
import DaulatPKI
import Foundation

/// `daulat site sign`: a state's authority signs the record of its own ground.
struct SiteSign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign your state's record of the sites, hosts and custodians on its soil.",
        discussion: """
            Agents and custodians take where they stand from the records the states signed, not from the \
            control plane's database: a host or a custodian your state has not signed in holds and \
            releases nothing, and one the database moves to another state's site stays where your \
            record puts it. The control plane drafts the record from its topology; check it, then sign \
            it with your authority key. The state is the one the alliance charter pins the key for. \
            Sign again whenever a site, a host or a custodian on your soil is added or moves; a record \
            is never replaced by an older one. The record pins each custodian's identity key, which it \
            signs the keys clients wrap data keys to with: check it against the key the custodian logs \
            at start (daulat.identity_key) before you sign, for a client gives keys to no other.

            Example: daulat site sign --authority-key id-authority.pem
            """
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var authority: AuthorityKeyOption
    @Flag(help: "Show the draft without signing it.") var dryRun = false

    func run() async throws {
        let api = try client.client()
        let (key, jurisdiction) = try await authority.resolve(with: api)
        let path = APIClient.path("v1", "jurisdictions", jurisdiction.rawValue, "record")
        var (view, data) = try await api.get(path, as: JurisdictionRecordView.self)
        if !dryRun {
            var record = view.draft
            record.issuedAt = CanonicalJSON.rounded(Date())
            let signed = try JurisdictionRecordSignatures.sign(record, with: key)
            data = try await api.send(.POST, path, body: ["record": signed])
            view = try CanonicalJSON.decoder().decode(JurisdictionRecordView.self, from: data)
        }
        try Output.print(data, format: client.output) {
            Self.table(dryRun ? view.draft : view.record ?? view.draft)
        }
    }

    /// The record's ground, one line for each site, host and custodian.
    static func table(_ record: JurisdictionRecord) -> Table {
        var table = Table("KIND", "NAME", "STANDS IN", "RECORD")
        let version = "\(record.jurisdiction) v\(record.version)"
        for site in record.sites {
            let embassy = record.embassiesHosted[site].map { " (\($0)'s data embassy)" } ?? ""
            table.add("site", site, "\(record.jurisdiction)\(embassy)", version)
        }
        for (host, site) in record.hosts.sorted(by: { $0.key < $1.key }) {
            table.add("host", host, site, version)
        }
        for custodian in record.custodians {
            // The whole key, for the state's administrators to compare with the one the custodian logs.
            let key = record.custodianKeys[custodian].map { "identity key \($0)" } ?? "no identity key pinned"
            table.add("custodian", custodian, "\(record.jurisdiction) (\(key))", version)
        }
        for site in record.embassiesAbroad {
            table.add("embassy abroad", site, "-", version)
        }
        return table
    }
}
