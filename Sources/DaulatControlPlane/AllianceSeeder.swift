import DaulatCore

/// Loads an alliance definition into a store: what `daulat dev` does at every start.
public enum AllianceSeeder {
    /// Adds every jurisdiction, group, classification, site, host and agreement of `definition` that the
    /// store lacks, and returns how many it added. What exists is left as it is (an agreement suspended
    /// since stays suspended), and a start interrupted half-way is completed by the next one.
    @discardableResult
    public static func addMissing(to store: some DaulatStore, from definition: AllianceDefinition, actor: String) async throws
        -> Int
    {
        let alliance = try await store.alliance()
        let topology = try await store.topology()
        let agreements = Set(try await store.agreements().map(\.id))
        var added = 0
        for jurisdiction in definition.jurisdictions where !alliance.jurisdictions.contains(where: { $0.code == jurisdiction.code }) {
            try await store.addJurisdiction(jurisdiction, actor: actor)
            added += 1
        }
        for group in definition.groups where !alliance.groups.contains(where: { $0.name == group.name }) {
            try await store.addGroup(group, actor: actor)
            added += 1
        }
        for classification in definition.classifications
        where !alliance.classifications.contains(where: { $0.name == classification.name }) {
            try await store.addClassification(classification, actor: actor)
            added += 1
        }
        for site in definition.sites where !topology.sites.contains(where: { $0.id == site.id }) {
            try await store.addSite(site, actor: actor)
            added += 1
        }
        for host in definition.hosts where !topology.hosts.contains(where: { $0.id == host.id }) {
            try await store.putHost(host, actor: actor)
            added += 1
        }
        for agreement in definition.agreements where !agreements.contains(agreement.id) {
            try await store.addAgreement(agreement, actor: actor)
            added += 1
        }
        return added
    }
}
