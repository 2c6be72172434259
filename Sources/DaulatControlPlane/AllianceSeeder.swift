import DaulatCore

/// Loads an alliance definition into a store: what `daulat dev` does at every start.
public enum AllianceSeeder {
    /// Adds every jurisdiction, group, classification, site, host, custodian and agreement of `definition` that the
    /// store lacks, and returns how many it added. What exists is left as it is (an agreement suspended
    /// since stays suspended), and a start interrupted half-way is completed by the next one.
    @discardableResult
    public static func addMissing(to store: some DaulatStore, from definition: AllianceDefinition, actor: String)
        async throws
        -> Int
    {
        let alliance = try await store.alliance()
        let topology = try await store.topology()
        let agreements = try await store.agreements()
        var added = 0
        /// Adds the records whose key the store does not have yet.
        func add<Record, Key: Hashable>(
            _ records: [Record], existing: [Record], key: (Record) -> Key, _ store: (Record) async throws -> Void
        ) async throws {
            let present = Set(existing.map(key))
            for record in records where !present.contains(key(record)) {
                try await store(record)
                added += 1
            }
        }
        try await add(definition.jurisdictions, existing: alliance.jurisdictions, key: \.code) {
            try await store.addJurisdiction($0, actor: actor)
        }
        try await add(definition.groups, existing: alliance.groups, key: \.name) {
            try await store.addGroup($0, actor: actor)
        }
        try await add(definition.classifications, existing: alliance.classifications, key: \.name) {
            try await store.addClassification($0, actor: actor)
        }
        try await add(definition.sites, existing: topology.sites, key: \.id) {
            try await store.addSite($0, actor: actor)
        }
        try await add(definition.hosts, existing: topology.hosts, key: \.id) {
            try await store.putHost($0, actor: actor)
        }
        try await add(definition.custodians, existing: try await store.custodians(), key: \.id) {
            try await store.addCustodian($0, actor: actor)
        }
        // Drafts whatever the file says: only the parties' signatures bring an agreement into force.
        try await add(definition.agreements, existing: agreements, key: \.id) {
            var draft = $0
            draft.status = .draft
            try await store.addAgreement(draft, actor: actor)
        }
        return added
    }
}
