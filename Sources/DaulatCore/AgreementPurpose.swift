/// What an agreement lets its parties do with each other's datasets.
public enum AgreementPurpose: String, Sendable, Codable, CaseIterable {
    /// Store ciphertext in another party's jurisdiction.
    case storage
    /// Process plaintext in another party's jurisdiction.
    case processing
    /// Hold key-encryption keys in another party's jurisdiction.
    case keyCustody = "key-custody"
    /// Keep ciphertext at a data-embassy site of the home state located in another party's territory.
    case dataEmbassy = "data-embassy"
}
