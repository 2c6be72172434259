/// The life of an agreement: drafted, brought into force, possibly suspended and resumed, and finally
/// terminated. Terminated is final.
public enum AgreementStatus: String, Sendable, Codable, CaseIterable {
    case draft
    case inForce = "in_force"
    case suspended
    case terminated

    /// The transitions an operator may make, by the verb that makes them.
    public func applying(_ action: AgreementAction) throws(DomainError) -> AgreementStatus {
        switch (self, action) {
        case (.draft, .activate), (.suspended, .activate): return .inForce
        case (.inForce, .suspend): return .suspended
        case (.draft, .terminate), (.inForce, .terminate), (.suspended, .terminate): return .terminated
        default:
            throw DomainError(
                .invalidTransition,
                "an agreement that is \(rawValue) cannot be \(action.pastParticiple)"
            )
        }
    }
}
