/// How far a classification's default rule reaches from the dataset's home jurisdiction.
public enum JurisdictionScope: String, Sendable, Codable, CaseIterable {
    /// Every jurisdiction of the alliance.
    case alliance
    /// Every jurisdiction in a group that the home belongs to (e.g. all of `asean` for `ID`).
    case homeGroups = "home-groups"
    /// The home, plus each jurisdiction that shares an agreement in force with the home covering the
    /// classification and the purpose.
    case homeAndAgreements = "home-and-agreements"
    /// The home jurisdiction only.
    case home
}
