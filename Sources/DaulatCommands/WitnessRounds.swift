import DaulatCore
import Foundation
import Logging
import ServiceLifecycle

/// Witnesses' rounds every few seconds, until shut down: the log's latest head published, then each
/// witness's check and cosignature. A refusal is logged as critical and the rounds go on.
struct WitnessRounds: Service {
    let api: APIClient
    let witnesses: [LogWitness]
    let logger: Logger
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await api.send(.POST, "/v1/audit/tree-heads")
                    for witness in witnesses { _ = try await witness.round(api: api) }
                } catch let refusal as LogWitness.Refusal {
                    logger.critical("a witness refuses to cosign", metadata: ["daulat.refusal": "\(refusal)"])
                } catch  where !Task.isCancelled {
                    logger.warning("a witness round failed; will retry", metadata: ["daulat.error": "\(error)"])
                } catch {
                    return
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
