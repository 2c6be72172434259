import DaulatCore

/// A request type whose JSON objects may carry only the listed fields.
protocol StrictlyDecodable: Decodable {
    static var fields: [String] { get }
}

/// Decodes `Value` after refusing any field it does not list.
struct Strict<Value: StrictlyDecodable>: Decodable {
    let value: Value

    init(from decoder: any Decoder) throws {
        try StrictObject.check(decoder, allowed: Value.fields)
        value = try Value(from: decoder)
    }
}

extension ObjectKey: StrictlyDecodable {
    static var fields: [String] {
        ["custodianID", "keyID", "shareIndex", "threshold", "recipientKeyID", "encapsulatedKey", "ciphertext"]
    }
}

extension KeySplit: StrictlyDecodable {
    static var fields: [String] { ["threshold", "shares"] }
}

extension Jurisdiction: StrictlyDecodable {
    static var fields: [String] { ["code", "name"] }
}

extension JurisdictionGroup: StrictlyDecodable {
    static var fields: [String] { ["name", "members"] }
}

extension Classification: StrictlyDecodable {
    static var fields: [String] {
        [
            "name", "rank", "storage", "keys", "processing", "dataEmbassyPermitted", "defaultReplicas",
            "defaultMinDistinctSites", "homeReplicaRequired", "evacuationDeadlineSeconds",
        ]
    }
}

extension Site: StrictlyDecodable {
    static var fields: [String] {
        ["id", "jurisdiction", "city", "operatorName", "failureDomain", "labels", "embassyOf"]
    }
}

extension StorageHost: StrictlyDecodable {
    static var fields: [String] { ["id", "siteID", "capacityBytes", "freeBytes", "status"] }
}

extension Strict: Sendable where Value: Sendable {}
