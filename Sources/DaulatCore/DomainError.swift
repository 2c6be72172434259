/// A rule of the domain that an input broke. The code is stable and machine-readable; the message says
/// what was wrong in words a user can act on.
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        case invalidJurisdictionCode = "invalid_jurisdiction_code"
        case unknownJurisdiction = "unknown_jurisdiction"
        case unknownGroup = "unknown_group"
        case groupCycle = "group_cycle"
        case unknownClassification = "unknown_classification"
        case unknownSite = "unknown_site"
        case policyContradictsClassification = "policy_contradicts_classification"
        case inconsistentPolicy = "inconsistent_policy"
        case replicasOutOfRange = "replicas_out_of_range"
        case invalidEvacuationDeadline = "invalid_evacuation_deadline"
        case invalidAgreementWindow = "invalid_agreement_window"
        case invalidAgreement = "invalid_agreement"
        case invalidTransition = "invalid_transition"
        case invalidName = "invalid_name"
        case invalidCapacity = "invalid_capacity"
        case duplicate = "duplicate"
        case unknownJustification = "unknown_justification"
        // A state's signed record of its ground.
        case invalidJurisdictionRecord = "invalid_jurisdiction_record"
        case invalidQuarantineDecision = "invalid_quarantine_decision"
        case hostNotRecorded = "host_not_recorded"
        // Custody: why a data key is not unwrapped.
        case objectQuarantined = "object_quarantined"
        case processingNotAllowed = "processing_not_allowed"
        case disasterRecoveryNotDeclared = "disaster_recovery_not_declared"
        case referenceRequired = "reference_required"
        case invalidDeclaration = "invalid_declaration"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
