/// The states' signed records of their ground, one per jurisdiction, each already checked against its
/// authority's key: where a host or a custodian stands as the states themselves say.
public struct RecordedGround: Sendable {
    public let records: [JurisdictionCode: JurisdictionRecord]

    public init(_ records: [JurisdictionRecord]) {
        self.records = Dictionary(
            records.map { ($0.jurisdiction, $0) }, uniquingKeysWith: { $0.version >= $1.version ? $0 : $1 })
    }

    /// Where host `id` stands: in the one state whose record lists it (in `declared`'s, if its operator
    /// declared one). Throws why not when no record, or more than one, places it.
    public func standing(ofHost id: String, declared: JurisdictionCode? = nil) throws(DomainError) -> HostStanding {
        let placing = records.values.filter { $0.hosts[id] != nil }.sorted {
            $0.jurisdiction.rawValue < $1.jurisdiction.rawValue
        }
        guard let record = placing.first else {
            throw DomainError(.hostNotRecorded, "no state's signed record places host '\(id)'")
        }
        if let declared {
            guard let own = placing.first(where: { $0.jurisdiction == declared }) else {
                let signedBy = placing.map(\.jurisdiction.rawValue).joined(separator: ", ")
                throw DomainError(
                    .hostNotRecorded,
                    "host '\(id)' was declared to stand in \(declared), but only the signed record of \(signedBy) places it"
                )
            }
            return standing(of: id, in: own)
        }
        guard placing.count == 1 else {
            let signedBy = placing.map(\.jurisdiction.rawValue).joined(separator: " and ")
            throw DomainError(
                .hostNotRecorded,
                "the signed records of \(signedBy) all place host '\(id)'; its operator must declare where it stands")
        }
        return standing(of: id, in: record)
    }

    /// Whether `jurisdiction`'s signed record lists custodian `id` as keeping keys there.
    public func keepsKeys(custodian id: String, in jurisdiction: JurisdictionCode) -> Bool {
        records[jurisdiction]?.custodians.contains(id) ?? false
    }

    private func standing(of host: String, in record: JurisdictionRecord) -> HostStanding {
        let site = record.hosts[host] ?? ""
        // An embassy only if the state it serves signed it as its own, too.
        let embassyOf = record.embassiesHosted[site].flatMap { state in
            records[state]?.embassiesAbroad.contains(site) == true ? state : nil
        }
        return HostStanding(jurisdiction: record.jurisdiction, siteID: site, embassyOf: embassyOf)
    }
}
