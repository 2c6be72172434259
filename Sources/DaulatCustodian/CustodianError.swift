import DaulatCore
import DaulatPKI

/// Why a custodian refused to release a share. Codes are stable, for error bodies and the audit log.
public enum CustodianError: Error, Equatable, Sendable, CustomStringConvertible {
    case decisionInvalid(String)
    case decisionExpired(id: String)
    case decisionReplayed(String)
    case decisionMismatch(String)
    case notThisJurisdiction(JurisdictionCode)
    /// The owner state's consent is missing, forged, or for something else.
    case consentRefused(ConsentError)
    /// The alliance's rules and the agreements its parties signed do not allow this release, whatever
    /// the control plane decided.
    case notAllowedBySignedRules(String)
    /// The custodian's own state has not signed it into its record of the custodians on its soil.
    case notRecorded(custodian: String, jurisdiction: JurisdictionCode)

    public var code: String {
        switch self {
        case .decisionInvalid: "decision_invalid"
        case .decisionExpired: "decision_expired"
        case .decisionReplayed: "decision_replayed"
        case .decisionMismatch: "decision_mismatch"
        case .notThisJurisdiction: "custody_not_allowed_here"
        case .consentRefused(let error): error.code
        case .notAllowedBySignedRules: "release_not_allowed"
        case .notRecorded: "custodian_not_recorded"
        }
    }

    public var description: String {
        switch self {
        case .decisionInvalid(let reason): "the unwrap decision is not one the control plane signed: \(reason)"
        case .decisionExpired(let id): "unwrap decision \(id) has expired or is not valid yet; ask for a new one"
        case .decisionReplayed(let id): "unwrap decision \(id) was already used; each is good for one unwrap"
        case .decisionMismatch(let reason): "the unwrap decision does not cover this key: \(reason)"
        case .notThisJurisdiction(let jurisdiction):
            "keys of this dataset may not be held in \(jurisdiction.rawValue) now; this custodian releases nothing for it"
        case .consentRefused(let error): "no share without the owner state's consent: \(error)"
        case .notAllowedBySignedRules(let reason):
            "the rules the states signed do not allow this release (\(reason)); this custodian releases nothing for it"
        case .notRecorded(let custodian, let jurisdiction):
            "\(jurisdiction.rawValue)'s signed record does not list custodian '\(custodian)' as keeping keys there; it releases nothing until its state signs it in"
        }
    }
}
