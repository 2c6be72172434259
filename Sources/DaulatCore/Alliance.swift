/// The alliance's rule base: its member jurisdictions, how they group, and its classification levels.
/// Everything here changes rarely and by operator action.
public struct Alliance: Sendable, Codable, Equatable {
    public var jurisdictions: [Jurisdiction]
    public var groups: [JurisdictionGroup]
    public var classifications: [Classification]

    public init(jurisdictions: [Jurisdiction], groups: [JurisdictionGroup], classifications: [Classification]) {
        self.jurisdictions = jurisdictions
        self.groups = groups
        self.classifications = classifications
    }

    public var jurisdictionCodes: [JurisdictionCode] { jurisdictions.map(\.code).sorted() }

    public func requireJurisdiction(_ code: JurisdictionCode) throws(DomainError) {
        guard jurisdictions.contains(where: { $0.code == code }) else {
            throw DomainError(.unknownJurisdiction, "jurisdiction \(code) is not a member of the alliance")
        }
    }

    public func requireClassification(_ name: String) throws(DomainError) -> Classification {
        guard let found = classifications.first(where: { $0.name == name }) else {
            let known = classifications.sorted { $0.rank < $1.rank }.map(\.name).joined(separator: ", ")
            throw DomainError(.unknownClassification, "unknown classification '\(name)'; known: \(known)")
        }
        return found
    }

    /// The jurisdictions a group contains, following nested groups.
    public func members(ofGroup name: String) throws(DomainError) -> Set<JurisdictionCode> {
        var visiting: [String] = []
        return try members(ofGroup: name, visiting: &visiting)
    }

    private func members(ofGroup name: String, visiting: inout [String]) throws(DomainError) -> Set<JurisdictionCode> {
        guard let group = groups.first(where: { $0.name == name }) else {
            throw DomainError(.unknownGroup, "unknown group '\(name)'")
        }
        if visiting.contains(name) {
            throw DomainError(.groupCycle, "groups nest in a cycle: \((visiting + [name]).joined(separator: " -> "))")
        }
        visiting.append(name)
        defer { visiting.removeLast() }
        var result = Set<JurisdictionCode>()
        for member in group.members {
            if let code = try? JurisdictionCode(member), jurisdictions.contains(where: { $0.code == code }) {
                result.insert(code)
            } else if groups.contains(where: { $0.name == member }) {
                result.formUnion(try members(ofGroup: member, visiting: &visiting))
            } else {
                throw DomainError(
                    .unknownJurisdiction,
                    "group '\(name)' names '\(member)', which is neither a member jurisdiction nor a group"
                )
            }
        }
        return result
    }

    /// The names of the groups that contain `code`, directly or through nesting.
    public func groups(containing code: JurisdictionCode) -> [String] {
        groups.map(\.name).filter { (try? members(ofGroup: $0).contains(code)) ?? false }.sorted()
    }

    /// Checks that every group resolves (known members, no cycles) and names are unique.
    public func validate() throws(DomainError) {
        for group in groups {
            try Identifier.validate(group.name, what: "group name")
            _ = try members(ofGroup: group.name)
        }
        for jurisdiction in jurisdictions { try jurisdiction.validate() }
        for classification in classifications { try classification.validate() }
        if Set(jurisdictions.map(\.code)).count != jurisdictions.count {
            throw DomainError(.duplicate, "a jurisdiction is listed twice")
        }
        if Set(groups.map(\.name)).count != groups.count { throw DomainError(.duplicate, "a group is listed twice") }
        if Set(classifications.map(\.name)).count != classifications.count {
            throw DomainError(.duplicate, "a classification is listed twice")
        }
    }
}
