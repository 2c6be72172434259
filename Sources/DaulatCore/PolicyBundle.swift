/// The rules a custodian (and, in time, an agent) checks a release or a copy against by itself: the
/// alliance's rules and every agreement with its parties' signatures and acts, as the control plane
/// publishes them. An agreement counts only as its signatures say, whatever status its record gives.
public struct PolicyBundle: Codable, Sendable, Equatable {
    public var alliance: Alliance
    public var agreements: [Agreement]

    public init(alliance: Alliance, agreements: [Agreement]) {
        self.alliance = alliance
        self.agreements = agreements
    }
}
