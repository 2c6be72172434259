import Synchronization

/// Where the custodian's listener is, once it is.
final class ListeningURL: Sendable {
    private let url = Mutex<String?>(nil)

    func set(_ value: String) { url.withLock { $0 = value } }
    func get() -> String? { url.withLock { $0 } }
}
