/// Why a keystore refused. Codes are stable, for logs, error bodies and the audit log.
public enum KeystoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidScope(String)
    case notThisCustodian(String)
    case unknownKey(String)
    case keyDestroyed(String)
    case scopeShredded(String)
    /// The key file does not open with the configured sealing key, or was changed or moved.
    case cannotOpenKey(String)
    case permissionsTooOpen(path: String)
    case storage(String)

    public var code: String {
        switch self {
        case .invalidScope: "key_scope_invalid"
        case .notThisCustodian: "key_of_another_custodian"
        case .unknownKey: "key_unknown"
        case .keyDestroyed: "key_destroyed"
        case .scopeShredded: "key_scope_shredded"
        case .cannotOpenKey: "keystore_key_unreadable"
        case .permissionsTooOpen: "keystore_permissions_too_open"
        case .storage: "keystore_storage_failed"
        }
    }

    public var description: String {
        switch self {
        case .invalidScope(let scope):
            "'\(scope)' is not a key scope: 1 to 128 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit"
        case .notThisCustodian(let id): "key \(id) belongs to another custodian"
        case .unknownKey(let id): "this custodian has no key \(id)"
        case .keyDestroyed(let id): "key \(id) was destroyed; what was wrapped to it can no longer be opened"
        case .scopeShredded(let scope): "every key of \(scope) was destroyed; it gets no new key"
        case .cannotOpenKey(let id):
            "key \(id) cannot be opened with the configured keystore key, or its file was changed or moved"
        case .permissionsTooOpen(let path): "\(path) is readable by others than its owner; keystore files must be 0600"
        case .storage(let detail): "the keystore could not be read or written: \(detail)"
        }
    }
}
