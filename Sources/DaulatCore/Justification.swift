/// Why someone asks for a data key, stated with every unwrap and kept in the audit log with it.
public enum Justification: String, Sendable, Codable, CaseIterable {
    /// The owning agency reads its own data.
    case ownerAccess = "owner-access"
    /// Recovery after a disaster, at home or, once declared, at a data embassy.
    case disasterRecovery = "disaster-recovery"
    /// A regulator's order, named in the request's reference.
    case regulatorOrder = "regulator-order"
    /// A law-enforcement request, named in the request's reference.
    case lawEnforcementRequest = "law-enforcement-request"

    /// Decoding refuses anything else with the list of what is accepted.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Justification(rawValue: text) else {
            throw DomainError(
                .unknownJustification,
                "unknown justification '\(text)'; one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = value
    }

    /// Orders and requests from outside the owning agency must name the order or request.
    public var needsReference: Bool { self == .regulatorOrder || self == .lawEnforcementRequest }
}
