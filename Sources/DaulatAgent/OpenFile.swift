import Foundation
import Synchronization

/// A file descriptor read by a stream: closed when the stream ends, or when the stream is dropped
/// part-way (a client that went away), never twice.
final class OpenFile: Sendable {
    let descriptor: Int32
    private let closed = Mutex(false)

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    func close() {
        let first = closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        if first { _ = Foundation.close(descriptor) }
    }

    deinit { close() }
}
