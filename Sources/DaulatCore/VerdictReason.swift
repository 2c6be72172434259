/// Why a jurisdiction was admitted or excluded for one use of one dataset: the rule that decided, the
/// agreement or group it rests on, and a sentence for people.
public struct VerdictReason: Hashable, Sendable, Codable {
    public enum Rule: String, Sendable, Codable {
        case home
        case classificationAllowsAlliance = "classification_allows_alliance"
        case sharedGroup = "shared_group"
        case agreementInForce = "agreement_in_force"
        case dataEmbassyAgreement = "data_embassy_agreement"
        case outsideClassificationScope = "outside_classification_scope"
        case agreementNotInForce = "agreement_not_in_force"
        case noAgreement = "no_agreement"
        case excludedByDatasetPolicy = "excluded_by_dataset_policy"
    }

    public var rule: Rule
    public var agreementID: String?
    public var group: String?
    public var detail: String

    public init(_ rule: Rule, agreementID: String? = nil, group: String? = nil, detail: String) {
        self.rule = rule
        self.agreementID = agreementID
        self.group = group
        self.detail = detail
    }
}
