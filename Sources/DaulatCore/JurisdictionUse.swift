/// The three separate things a residency policy governs.
public enum JurisdictionUse: String, Sendable, Codable, CaseIterable {
    /// Holding ciphertext.
    case storage
    /// Holding key-encryption keys.
    case keys
    /// Processing plaintext.
    case processing

    /// The agreement purpose that can admit a foreign jurisdiction for this use.
    public var admittingPurpose: AgreementPurpose {
        switch self {
        case .storage: .storage
        case .keys: .keyCustody
        case .processing: .processing
        }
    }
}
