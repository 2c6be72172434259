import DaulatCore

/// Loads an alliance definition into an empty store: what `daulat dev` does on first start.
public enum AllianceSeeder {
    /// Seeds `store` from `definition` unless it already holds jurisdictions; returns whether it seeded.
    @discardableResult
    public static func seedIfEmpty(_ store: some DaulatStore, with definition: AllianceDefinition, actor: String) async throws
        -> Bool
    {
        guard try await store.alliance().jurisdictions.isEmpty else { return false }
        for jurisdiction in definition.jurisdictions { try await store.addJurisdiction(jurisdiction, actor: actor) }
        for group in definition.groups { try await store.addGroup(group, actor: actor) }
        for classification in definition.classifications { try await store.addClassification(classification, actor: actor) }
        for site in definition.sites { try await store.addSite(site, actor: actor) }
        for host in definition.hosts { try await store.putHost(host, actor: actor) }
        for agreement in definition.agreements { try await store.addAgreement(agreement, actor: actor) }
        return true
    }
}
