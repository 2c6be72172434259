/// A share that could not be had, with its custodian, jurisdiction and the reason.
public struct MissingShare: Hashable, Sendable {
    public let share: ExpectedShare
    public let reason: String
}
