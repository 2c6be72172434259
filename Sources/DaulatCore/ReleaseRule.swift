/// When a host's copy of an object may go: its dataset is placed somewhere else — somewhere, since a
/// copy with no allowed place left is quarantined, never released — and every placed host already
/// holds a verified copy; or its home state decided a quarantined copy is to be destroyed and a copy
/// that stays exists. The control plane offers releases by this rule and accepts only those.
public enum ReleaseRule {
    public static func mayRelease(copyOn host: String, placedOn placed: [String], holders: [String]) -> Bool {
        !placed.isEmpty && !placed.contains(host) && Set(placed).isSubset(of: Set(holders))
    }

    /// Whether a quarantined copy its home state decided to destroy may go: another holder keeps a
    /// verified copy that no such decision condemns, so the object is never left with none.
    public static func mayDestroy(copyOn host: String, holders: [String], condemned: Set<String>) -> Bool {
        condemned.contains(host) && holders.contains { $0 != host && !condemned.contains($0) }
    }
}
