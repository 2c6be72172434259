import Dispatch
import Foundation
import Logging

/// A bound on how long `daulat server` may take to stop once asked (SIGTERM, SIGINT): a query left
/// hanging on a connection a database outage killed must not keep the process alive for ever. Work
/// the server acknowledged is committed already; anything in flight is rolled back by the database.
/// Kubernetes kills a pod after its grace period anyway; this stops first, and says why.
final class ShutdownDeadline {
    private let sources: [any DispatchSourceSignal]

    /// Starts watching; `seconds` after the first signal the process exits with status 1.
    init(seconds: Int, logger: Logger) {
        let queue = DispatchQueue(label: "daulat.shutdown-deadline")
        sources = [SIGTERM, SIGINT].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                queue.asyncAfter(deadline: .now() + .seconds(seconds)) {
                    logger.critical(
                        "the server did not stop within \(seconds) s of being asked to; exiting",
                        metadata: ["daulat.signal": "\(number)"])
                    exit(1)
                }
            }
            source.resume()
            return source
        }
    }
}
