/// A member data centre.
public struct Site: Hashable, Sendable, Codable {
    public var id: String
    public var jurisdiction: JurisdictionCode
    public var city: String
    public var operatorName: String
    /// The failure domain the site shares with others (a power grid, a flood plain, a metro area).
    /// The planner spreads replicas over distinct failure domains before it doubles up in one.
    public var failureDomain: String
    public var labels: [String: String]
    /// Set when the site is a data embassy: it lies in `jurisdiction` but serves only datasets whose
    /// home is this state, under a data-embassy agreement.
    public var embassyOf: JurisdictionCode?

    public init(
        id: String,
        jurisdiction: JurisdictionCode,
        city: String,
        operatorName: String,
        failureDomain: String,
        labels: [String: String] = [:],
        embassyOf: JurisdictionCode? = nil
    ) {
        self.id = id
        self.jurisdiction = jurisdiction
        self.city = city
        self.operatorName = operatorName
        self.failureDomain = failureDomain
        self.labels = labels
        self.embassyOf = embassyOf
    }

    enum CodingKeys: String, CodingKey {
        case id, jurisdiction, city, operatorName, failureDomain, labels, embassyOf
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        jurisdiction = try container.decode(JurisdictionCode.self, forKey: .jurisdiction)
        city = try container.decode(String.self, forKey: .city)
        operatorName = try container.decode(String.self, forKey: .operatorName)
        failureDomain = try container.decode(String.self, forKey: .failureDomain)
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        embassyOf = try container.decodeIfPresent(JurisdictionCode.self, forKey: .embassyOf)
    }

    public func validate(in alliance: Alliance) throws(DomainError) {
        try Identifier.validate(id, what: "site id")
        try alliance.requireJurisdiction(jurisdiction)
        if let embassyOf {
            try alliance.requireJurisdiction(embassyOf)
            guard embassyOf != jurisdiction else {
                throw DomainError(.invalidName, "site '\(id)' cannot be a data embassy of its own jurisdiction")
            }
        }
        guard !failureDomain.isEmpty else {
            throw DomainError(.invalidName, "site '\(id)' needs a failure domain")
        }
    }
}
