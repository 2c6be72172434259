import DaulatCore

/// A dataset as the API shows it: the record, its policy evaluated now, and its desired placement.
public struct DatasetView: Codable, Sendable {
    public var dataset: Dataset
    public var evaluatedPolicy: EvaluatedPolicy
    public var placement: Placement?
}
