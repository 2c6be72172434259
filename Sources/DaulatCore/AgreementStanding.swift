/// Where an agreement stands given what its parties signed: a draft until every party signed its terms,
/// then in force unless a party suspended it (and has not resumed) or terminated it. Who holds it
/// suspended matters: one party cannot lift another's suspension.
public struct AgreementStanding: Sendable, Equatable {
    public private(set) var status: AgreementStatus
    public private(set) var suspendedBy: Set<JurisdictionCode>

    /// Before any act: in force once every party signed the terms, else a draft.
    public init(signedByEveryParty: Bool) {
        status = signedByEveryParty ? .inForce : .draft
        suspendedBy = []
    }

    /// The standing after `act`, or why that party cannot do it now.
    public func applying(_ act: AgreementAct) throws(DomainError) -> AgreementStanding {
        var next = self
        switch (status, act.action) {
        case (.terminated, _):
            throw DomainError(.invalidTransition, "the agreement is terminated; nothing can change it")
        case (_, .terminate):
            next.status = .terminated
            next.suspendedBy = []
        case (.draft, _):
            throw DomainError(
                .invalidTransition,
                "a draft cannot be \(act.action.pastParticiple): it enters into force only once every party signed it")
        case (_, .suspend):
            guard !suspendedBy.contains(act.party) else {
                throw DomainError(.invalidTransition, "\(act.party) already holds the agreement suspended")
            }
            next.suspendedBy.insert(act.party)
            next.status = .suspended
        case (_, .resume):
            guard suspendedBy.contains(act.party) else {
                throw DomainError(
                    .invalidTransition,
                    "\(act.party) holds no suspension of the agreement to lift"
                        + (suspendedBy.isEmpty
                            ? "" : " (suspended by \(suspendedBy.map(\.rawValue).sorted().joined(separator: ", ")))"))
            }
            next.suspendedBy.remove(act.party)
            next.status = next.suspendedBy.isEmpty ? .inForce : .suspended
        }
        return next
    }
}
