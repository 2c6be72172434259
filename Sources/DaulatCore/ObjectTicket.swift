import Foundation

/// What a signed ticket allows: one operation on one object at one host, until it expires. A ticket
/// names the object, not only its bytes: two objects with the same bytes are two copies, and a ticket
/// for one never reaches the other.
public struct ObjectTicket: Codable, Sendable, Equatable {
    public enum Operation: String, Codable, Sendable {
        case upload
        case download
    }

    public var operation: Operation
    public var datasetID: String
    public var objectID: String
    /// SHA-256 of the object's bytes, lowercase hex: what the bytes must hash to.
    public var sha256: String
    public var sizeBytes: Int64
    /// The host the ticket is for; any other refuses it.
    public var hostID: String
    /// For a download from one agent to another: the host receiving the copy. The sending agent tells
    /// the control plane it sent the object under this ticket, and the receiver's report of the copy
    /// counts only when the two agree.
    public var recipientHostID: String?
    /// For an upload: where the dataset may be stored now. The receiving agent refuses the upload when
    /// it stands anywhere else, whatever the control plane says of it.
    public var allowedStorage: [JurisdictionCode]?
    /// For an upload: the dataset's home and classification, which the agent checks its own
    /// jurisdiction against under the rules and agreements the states signed.
    public var home: JurisdictionCode?
    public var classification: String?
    public var expiresAt: Date
    /// Makes each ticket unique, so a used upload ticket can be recognised when replayed.
    public var nonce: String

    public init(
        operation: Operation,
        datasetID: String,
        objectID: String,
        sha256: String,
        sizeBytes: Int64,
        hostID: String,
        recipientHostID: String? = nil,
        allowedStorage: [JurisdictionCode]? = nil,
        home: JurisdictionCode? = nil,
        classification: String? = nil,
        expiresAt: Date,
        nonce: String
    ) {
        self.home = home
        self.classification = classification
        self.operation = operation
        self.datasetID = datasetID
        self.objectID = objectID
        self.sha256 = sha256
        self.sizeBytes = sizeBytes
        self.hostID = hostID
        self.recipientHostID = recipientHostID
        self.allowedStorage = allowedStorage
        self.expiresAt = expiresAt
        self.nonce = nonce
    }

    /// A ticket lasts long enough to start a transfer, not to be hoarded.
    public static let lifetime: TimeInterval = 15 * 60

    /// A fresh ticket for `operation` on `object` at `hostID`, valid for ``lifetime`` from `now`.
    public init(
        _ operation: Operation, of object: StoredObject, at hostID: String, for recipient: String? = nil,
        allowedStorage: [JurisdictionCode]? = nil, home: JurisdictionCode? = nil, classification: String? = nil,
        issuedAt now: Date
    ) {
        self.init(
            operation: operation, datasetID: object.datasetID, objectID: object.id, sha256: object.sha256,
            sizeBytes: object.sizeBytes, hostID: hostID, recipientHostID: recipient, allowedStorage: allowedStorage,
            home: home, classification: classification, expiresAt: now.addingTimeInterval(Self.lifetime),
            nonce: UUID().uuidString.lowercased()
        )
    }
}
