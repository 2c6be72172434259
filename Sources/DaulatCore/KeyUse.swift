/// One unwrap request as the audit log keeps it, allowed or refused, with its justification: what a
/// regulator reads as a key use.
public struct KeyUse: Hashable, Sendable, Codable {
    public var request: UnwrapRequest
    /// The dataset's home jurisdiction, so a regulator of it can count the use after the dataset is gone.
    public var datasetHome: JurisdictionCode?
    public var requester: String
    /// Who signed the consent: the owning agency's member, or the home state's authority for an order.
    public var consentedBy: String?
    /// Set when allowed: the decision custodians will be shown.
    public var decisionID: String?
    /// Set when refused: the stable code and why.
    public var refusalCode: String?
    public var refusal: String?

    public init(
        request: UnwrapRequest, datasetHome: JurisdictionCode?, requester: String, consentedBy: String? = nil,
        decisionID: String? = nil, refusalCode: String? = nil, refusal: String? = nil
    ) {
        self.consentedBy = consentedBy
        self.request = request
        self.datasetHome = datasetHome
        self.requester = requester
        self.decisionID = decisionID
        self.refusalCode = refusalCode
        self.refusal = refusal
    }

    public var allowed: Bool { decisionID != nil }

    /// Whether a regulator of `jurisdiction` is told of it: the dataset is at home there, or the key
    /// was asked to be opened there.
    public func concerns(_ jurisdiction: JurisdictionCode) -> Bool {
        datasetHome == jurisdiction || request.jurisdiction == jurisdiction
    }
}
