import Foundation

/// One step of an evacuation to record: the evacuation as it now stands and what happened to it.
public struct EvacuationChange: Hashable, Sendable {
    public var evacuation: Evacuation
    public var event: EvacuationEvent
    /// When it happened (as the control plane saw it), for the audit entry.
    public var at: Date

    public init(_ evacuation: Evacuation, _ event: EvacuationEvent, at time: Date) {
        self.evacuation = evacuation
        self.event = event
        self.at = time
    }
}
