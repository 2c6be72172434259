/// The life of an agreement: drafted, in force once every party signed its terms, possibly suspended
/// and resumed by a party, and finally terminated. Terminated is final. See ``AgreementStanding``.
public enum AgreementStatus: String, Sendable, Codable, CaseIterable {
    case draft
    case inForce = "in_force"
    case suspended
    case terminated
}
