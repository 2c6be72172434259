/// The outcome of registering a dataset: newly created, or the earlier result of the same idempotent request.
public enum DatasetCreation: Sendable, Equatable {
    case created(Dataset)
    case replayed(Dataset)

    public var dataset: Dataset {
        switch self {
        case .created(let dataset), .replayed(let dataset): dataset
        }
    }
}
