import DaulatCore

/// What a host keeps when a new ``PolicyBundle`` arrives after one it already accepted: never less than
/// the states signed before. The newest version of the alliance's rules every state signed and the
/// newest record each state signed stay, even if the control plane sends older ones or none; so does
/// the newest version of each agreement every party signed, and an act a party signed on it (a
/// suspension, say), even if the control plane leaves it out.
/// Everything else is the new bundle's: an operator can only narrow what a host allows by leaving
/// things out, never widen it by playing an old signature back.
public enum PolicyBundleMerge {
    /// `new` with what `previous` held that `new` would roll back, and a line for each such thing.
    public static func merged(_ new: PolicyBundle, after previous: PolicyBundle, under charter: AllianceCharter)
        -> (bundle: PolicyBundle, keptBack: [String])
    {
        var bundle = new
        var keptBack: [String] = []

        let binding = { (rules: SignedAllianceRules?) in
            rules.flatMap { AllianceRulesSignatures.binds($0, under: charter) ? $0 : nil }
        }
        if let earlier = binding(previous.rules) {
            let offered = binding(new.rules)
            if offered.map({ $0.rules.version < earlier.rules.version }) ?? true {
                keptBack.append(
                    "the alliance's rules: kept version \(earlier.rules.version), every state's, over "
                        + (offered.map { "version \($0.rules.version)" } ?? "none"))
                bundle.rules = earlier
            }
        }

        var records: [JurisdictionCode: (text: String, version: Int)] = [:]
        for text in new.records {
            guard let record = try? JurisdictionRecordSignatures.verify(text, under: charter) else { continue }
            if record.version > records[record.jurisdiction]?.version ?? 0 {
                records[record.jurisdiction] = (text, record.version)
            }
        }
        for text in previous.records {
            guard let record = try? JurisdictionRecordSignatures.verify(text, under: charter) else { continue }
            let offered = records[record.jurisdiction]
            if record.version > offered?.version ?? 0 {
                keptBack.append(
                    "\(record.jurisdiction)'s record: kept version \(record.version) over "
                        + (offered.map { "version \($0.version)" } ?? "none"))
                records[record.jurisdiction] = (text, record.version)
            }
        }
        bundle.records = records.sorted { $0.key < $1.key }.map(\.value.text)

        // A version of an agreement every party signed stays until a later version every party signed
        // replaces it: an older version played back (wider terms an amendment narrowed), a later one
        // not every party signed, the same one stripped of a signature, or none at all leave it as it was.
        let signedByAll = { (agreement: Agreement) in
            AgreementSignatures.signedByEveryParty(agreement.terms, signatures: agreement.signatures, under: charter)
        }
        for earlier in previous.agreements where signedByAll(earlier) {
            let index = bundle.agreements.firstIndex { $0.id == earlier.id }
            let offered = index.map { bundle.agreements[$0] }
            if let offered, signedByAll(offered),
                offered.version > earlier.version
                    || (offered.version == earlier.version && offered.terms == earlier.terms)
            {
                continue
            }
            keptBack.append(
                "agreement \(earlier.id): kept version \(earlier.version), every party's, over "
                    + (offered.map { "version \($0.version)" } ?? "none"))
            if let index { bundle.agreements[index] = earlier } else { bundle.agreements.append(earlier) }
        }

        for (index, agreement) in bundle.agreements.enumerated() {
            guard
                let earlier = previous.agreements.first(where: {
                    $0.id == agreement.id && $0.version == agreement.version && $0.terms == agreement.terms
                })
            else { continue }
            let dropped = earlier.acts.filter { act in
                !agreement.acts.contains(act)
                    && (try? AgreementSignatures.act(act, of: agreement, under: charter)) != nil
            }
            guard !dropped.isEmpty else { continue }
            keptBack.append("agreement \(agreement.id): kept \(dropped.count) signed act(s) the new rules left out")
            bundle.agreements[index].acts += dropped
        }
        return (bundle, keptBack)
    }
}
