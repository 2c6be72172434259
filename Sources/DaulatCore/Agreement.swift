import Foundation

/// A data-sharing treaty between two or more jurisdictions. A foreign jurisdiction is admitted for a
/// dataset only while an agreement covering it is in force.
public struct Agreement: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var parties: [JurisdictionCode]
    public var classifications: [String]
    public var purposes: [AgreementPurpose]
    public var from: Date
    public var until: Date?
    public var status: AgreementStatus

    public init(
        id: String,
        name: String,
        parties: [JurisdictionCode],
        classifications: [String],
        purposes: [AgreementPurpose],
        from: Date,
        until: Date?,
        status: AgreementStatus = .draft
    ) {
        self.id = id
        self.name = name
        self.parties = parties
        self.classifications = classifications
        self.purposes = purposes
        self.from = from
        self.until = until
        self.status = status
    }

    /// In force at `time`: activated, not suspended or terminated, and inside its window (`until` is
    /// exclusive, so an agreement ends at the instant it names).
    public func isInForce(at time: Date) -> Bool {
        status == .inForce && from <= time && until.map { time < $0 } ?? true
    }

    /// Whether this agreement would admit `other` for a dataset at `home` of `classification` for `purpose`,
    /// leaving aside whether it is in force.
    public func covers(home: JurisdictionCode, other: JurisdictionCode, classification: String, purpose: AgreementPurpose)
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
