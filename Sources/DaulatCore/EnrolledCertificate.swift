import Foundation

/// A client certificate issued to a host's agent or to a custodian, as the control plane records it: a
/// certificate that is not recorded, or is recorded as revoked, is refused even though the CA signed it.
public struct EnrolledCertificate: Hashable, Sendable, Codable {
    /// The certificate's serial number in lowercase hex.
    public var serial: String
    public var subject: EnrolmentSubject
    public var issuedAt: Date
    public var notAfter: Date
    public var revokedAt: Date?

    public init(serial: String, subject: EnrolmentSubject, issuedAt: Date, notAfter: Date, revokedAt: Date? = nil) {
        self.serial = serial
        self.subject = subject
        self.issuedAt = issuedAt
        self.notAfter = notAfter
        self.revokedAt = revokedAt
    }
}
