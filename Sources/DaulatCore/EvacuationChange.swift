/// One step of an evacuation to record: the evacuation as it now stands and what happened to it.
public struct EvacuationChange: Hashable, Sendable {
    public var evacuation: Evacuation
    public var event: EvacuationEvent

    public init(_ evacuation: Evacuation, _ event: EvacuationEvent) {
        self.evacuation = evacuation
        self.event = event
    }
}
