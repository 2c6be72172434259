import Synchronization

/// A counter this control plane moves whenever something it did may change some host's assignments
/// (an object registered, a copy recorded, placements re-planned), so agents waiting for new
/// assignments are answered at once instead of at their next periodic check.
public final class AssignmentChanges: Sendable {
    private let generation = Mutex<UInt64>(0)

    public init() {}

    public var current: UInt64 { generation.withLock { $0 } }

    public func signal() {
        generation.withLock { $0 &+= 1 }
    }
}
