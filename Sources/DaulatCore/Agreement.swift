import Foundation

/// A data-sharing treaty between two or more jurisdictions. A foreign jurisdiction is admitted for a
/// dataset only while an agreement covering it is in force, and it is in force only once every party's
/// authority signed its terms: the operator drafts, the states decide.
public struct Agreement: Hashable, Sendable, Codable {
    public var id: String
    /// 1 for the first terms; each amendment is a new version every party signs again.
    public var version: Int
    public var name: String
    public var parties: [JurisdictionCode]
    public var classifications: [String]
    public var purposes: [AgreementPurpose]
    public var from: Date
    public var until: Date?
    /// As the signatures and acts decide (``AgreementStanding``); kept with the record so that the
    /// planner need not verify signatures, while agents and custodians do.
    public var status: AgreementStatus
    /// Each party's authority signature over ``terms``, base64url, by jurisdiction code.
    public var signatures: [String: String]
    /// The parties' signed suspensions, resumptions and terminations, in the order they were made.
    public var acts: [String]
    /// The next version's terms while the parties sign them; nil when none is proposed.
    public var amendment: AgreementAmendment?

    public init(
        id: String,
        name: String,
        parties: [JurisdictionCode],
        classifications: [String],
        purposes: [AgreementPurpose],
        from: Date,
        until: Date?,
        version: Int = 1,
        status: AgreementStatus = .draft,
        signatures: [String: String] = [:],
        acts: [String] = [],
        amendment: AgreementAmendment? = nil
    ) {
        self.id = id
        self.version = version
        self.name = name
        self.parties = parties
        self.classifications = classifications
        self.purposes = purposes
        self.from = from
        self.until = until
        self.status = status
        self.signatures = signatures
        self.acts = acts
        self.amendment = amendment
    }

    private enum CodingKeys: String, CodingKey {
        case id, version, name, parties, classifications, purposes, from, until, status, signatures, acts, amendment
    }

    /// A definition file names only the terms: an agreement it describes is a draft of version 1 that
    /// no one has signed yet.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(String.self, forKey: .id),
            name: try container.decode(String.self, forKey: .name),
            parties: try container.decode([JurisdictionCode].self, forKey: .parties),
            classifications: try container.decode([String].self, forKey: .classifications),
            purposes: try container.decode([AgreementPurpose].self, forKey: .purposes),
            from: try container.decode(Date.self, forKey: .from),
            until: try container.decodeIfPresent(Date.self, forKey: .until),
            version: try container.decodeIfPresent(Int.self, forKey: .version) ?? 1,
            status: try container.decodeIfPresent(AgreementStatus.self, forKey: .status) ?? .draft,
            signatures: try container.decodeIfPresent([String: String].self, forKey: .signatures) ?? [:],
            acts: try container.decodeIfPresent([String].self, forKey: .acts) ?? [],
            amendment: try container.decodeIfPresent(AgreementAmendment.self, forKey: .amendment)
        )
    }

    /// What every party signs.
    public var terms: AgreementTerms {
        AgreementTerms(
            id: id, version: version, name: name, parties: parties, classifications: classifications,
            purposes: purposes, from: from, until: until)
    }

    /// The next version with `terms` proposed: the parties stay; every other term is the one given.
    public func amendment(
        name: String, classifications: [String], purposes: [AgreementPurpose], from: Date, until: Date?
    ) -> AgreementAmendment {
        AgreementAmendment(
            terms: AgreementTerms(
                id: id, version: version + 1, name: name, parties: parties, classifications: classifications,
                purposes: purposes, from: from, until: until))
    }

    /// This agreement at its amendment's version: those terms and signatures, and no act (acts are made
    /// on one version). Unchanged when no amendment is proposed. Its status is for the caller to
    /// establish from the signatures.
    public var amended: Agreement {
        guard let amendment else { return self }
        let terms = amendment.terms
        return Agreement(
            id: id, name: terms.name, parties: parties, classifications: terms.classifications,
            purposes: terms.purposes, from: terms.from, until: terms.until, version: terms.version, status: status,
            signatures: amendment.signatures, acts: [], amendment: nil)
    }

    /// The parties whose signature is still missing, sorted.
    public var unsignedParties: [JurisdictionCode] {
        parties.filter { signatures[$0.rawValue] == nil }.sorted()
    }

    /// In force at `time`: activated, not suspended or terminated, and inside its window (`until` is
    /// exclusive, so an agreement ends at the instant it names).
    public func isInForce(at time: Date) -> Bool {
        status == .inForce && from <= time && until.map { time < $0 } ?? true
    }

    /// Whether this agreement would admit `other` for a dataset at `home` of `classification` for `purpose`,
    /// leaving aside whether it is in force.
    public func covers(
        home: JurisdictionCode, other: JurisdictionCode, classification: String, purpose: AgreementPurpose
    )
        -> Bool
    {
        parties.contains(home) && parties.contains(other) && classifications.contains(classification)
            && purposes.contains(purpose)
    }

    /// Checks the agreement's own shape against the alliance: known parties (at least two, distinct),
    /// known classifications, at least one purpose, `until` after `from`.
    public func validate(in alliance: Alliance) throws(DomainError) {
        try Identifier.validate(id, what: "agreement id")
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 200 else {
            throw DomainError(.invalidAgreement, "an agreement needs a name of 1-200 characters")
        }
        guard Set(parties).count >= 2, Set(parties).count == parties.count else {
            throw DomainError(.invalidAgreement, "an agreement needs at least two distinct parties")
        }
        for party in parties { try alliance.requireJurisdiction(party) }
        guard !classifications.isEmpty else {
            throw DomainError(.invalidAgreement, "an agreement must cover at least one classification")
        }
        for name in classifications { _ = try alliance.requireClassification(name) }
        guard !purposes.isEmpty else {
            throw DomainError(.invalidAgreement, "an agreement must cover at least one purpose")
        }
        if let until, until <= from {
            throw DomainError(.invalidAgreementWindow, "'until' (\(until)) must be after 'from' (\(from))")
        }
    }
}
