/// Where an evacuation stands. The first two are open; the others final.
public enum EvacuationState: String, Hashable, Sendable, Codable, CaseIterable {
    /// Replacement copies are being made in allowed places; the copy goes once they are confirmed.
    case moving
    /// No allowed place can take the copy: it stays, refused for reads, until one can.
    case quarantined
    /// The copy left the host by the deadline.
    case met
    /// The copy left the host after the deadline.
    case missed
    /// The copy became allowed where it is before it had to leave.
    case withdrawn
    /// The copy's record vanished without a release: lost from its host, or its dataset deleted.
    case lost
}
