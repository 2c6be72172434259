/// What a change would do, computed and nothing changed: the copies that would have to move, how many
/// bytes, those with no allowed place left (quarantined), and how long moving them would take at the
/// rate copies have been made lately.
public struct SimulationResult: Hashable, Sendable, Codable {
    public struct Dataset: Hashable, Sendable, Codable {
        public var datasetID: String
        public var home: JurisdictionCode
        public var copiesToMove: Int
        public var bytesToMove: Int64
        /// No allowed place would be left: its copies would stay where they are, refused for reads.
        public var quarantined: Bool

        public init(datasetID: String, home: JurisdictionCode, copiesToMove: Int, bytesToMove: Int64, quarantined: Bool)
        {
            self.datasetID = datasetID
            self.home = home
            self.copiesToMove = copiesToMove
            self.bytesToMove = bytesToMove
            self.quarantined = quarantined
        }
    }

    /// In words: "suspend agreement id-sg-restricted", "drain site sg-sin-1".
    public var change: String
    public var datasets: [Dataset]
    public var copiesToMove: Int
    public var bytesToMove: Int64
    public var copiesQuarantined: Int
    /// Bytes per second of the copies recorded over the last day; nil with too few, or over less than a
    /// minute, to tell.
    public var measuredBytesPerSecond: Int64?
    public var estimatedSeconds: Int64?

    public init(
        change: String, datasets: [Dataset], measuredBytesPerSecond: Int64?
    ) {
        self.change = change
        self.datasets = datasets
        copiesToMove = datasets.reduce(0) { $0 + ($1.quarantined ? 0 : $1.copiesToMove) }
        bytesToMove = datasets.reduce(0) { $0 + ($1.quarantined ? 0 : $1.bytesToMove) }
        copiesQuarantined = datasets.reduce(0) { $0 + ($1.quarantined ? $1.copiesToMove : 0) }
        self.measuredBytesPerSecond = measuredBytesPerSecond
        estimatedSeconds = measuredBytesPerSecond.flatMap { $0 > 0 ? (bytesToMove + $0 - 1) / $0 : nil }
    }
}
