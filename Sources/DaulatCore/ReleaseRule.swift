/// When a host's copy of an object may go: its dataset is placed somewhere else — somewhere, since a
/// copy with no allowed place left is quarantined, never released — and every placed host already
/// holds a verified copy. The control plane offers releases by this rule and accepts only those.
public enum ReleaseRule {
    public static func mayRelease(copyOn host: String, placedOn placed: [String], holders: [String]) -> Bool {
        !placed.isEmpty && !placed.contains(host) && Set(placed).isSubset(of: Set(holders))
    }
}
