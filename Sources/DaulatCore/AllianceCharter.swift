import Foundation

/// What the founding states sign when they form the alliance: the X-Road instance its members are
/// named in, and each state's authority key. Everything a state signs later — member certificates,
/// consents to unwrap, orders — is checked against the key pinned here, never against a key the
/// operator vouches for. Every authority it lists must sign it (see `SignedCharter`).
public struct AllianceCharter: Codable, Sendable, Equatable {
    public static let signaturePurpose = "alliance-charter"

    public struct Authority: Codable, Sendable, Equatable {
        public var jurisdiction: JurisdictionCode
        /// Ed25519, base64 of the 32 raw bytes.
        public var publicKey: String
        /// The key of the witness the state runs (Ed25519, base64), which cosigns the audit log's
        /// checkpoints as `Checkpoint.witnessName`; absent for a state that runs none.
        public var witnessKey: String?

        public init(jurisdiction: JurisdictionCode, publicKey: String, witnessKey: String? = nil) {
            self.jurisdiction = jurisdiction
            self.publicKey = publicKey
            self.witnessKey = witnessKey
        }
    }

    /// The first part of every member's name, e.g. `ASEAN`.
    public var instance: String
    /// One per founding state, sorted by jurisdiction.
    public var authorities: [Authority]
    public var issuedAt: Date

    public init(instance: String, authorities: [Authority], issuedAt: Date) {
        self.instance = instance
        self.authorities = authorities.sorted { $0.jurisdiction.rawValue < $1.jurisdiction.rawValue }
        self.issuedAt = issuedAt
    }

    public func authority(of jurisdiction: JurisdictionCode) -> Authority? {
        authorities.first { $0.jurisdiction == jurisdiction }
    }
}
