import Foundation

/// One party's suspension, resumption or termination of an agreement, signed by that party's
/// authority. Its time orders the acts and keeps an old act from being played again.
public struct AgreementAct: Codable, Sendable, Equatable {
    public static let signaturePurpose = "agreement-act"

    public var agreement: String
    public var version: Int
    public var action: AgreementAction
    public var party: JurisdictionCode
    public var at: Date

    public init(agreement: String, version: Int, action: AgreementAction, party: JurisdictionCode, at: Date) {
        self.agreement = agreement
        self.version = version
        self.action = action
        self.party = party
        self.at = at
    }
}
