/// One page of a dataset listing; `nextCursor` is nil on the last page.
public struct DatasetPage: Sendable, Equatable {
    public var datasets: [Dataset]
    public var nextCursor: String?

    public init(datasets: [Dataset], nextCursor: String?) {
        self.datasets = datasets
        self.nextCursor = nextCursor
    }
}
