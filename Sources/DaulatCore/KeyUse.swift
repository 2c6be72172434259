/// One unwrap request as the audit log keeps it, allowed or refused, with its justification: what a
/// regulator reads as a key use.
public struct KeyUse: Hashable, Sendable, Codable {
    public var request: UnwrapRequest
    public var requester: String
    /// Set when allowed: the decision custodians will be shown.
    public var decisionID: String?
    /// Set when refused: the stable code and why.
    public var refusalCode: String?
    public var refusal: String?

    public init(
        request: UnwrapRequest, requester: String, decisionID: String? = nil, refusalCode: String? = nil,
        refusal: String? = nil
    ) {
        self.request = request
        self.requester = requester
        self.decisionID = decisionID
        self.refusalCode = refusalCode
        self.refusal = refusal
    }

    public var allowed: Bool { decisionID != nil }
}
