import DaulatCore

/// What the audit log keeps of a newly registered object: the object, and to whom its key is wrapped.
struct RegisteredObject: Encodable, Sendable {
    struct Key: Encodable, Sendable {
        var custodianID: String
        var shareIndex: Int
        var threshold: Int
        var recipientKeyID: String
    }

    var object: StoredObject
    var keys: [Key]
}
