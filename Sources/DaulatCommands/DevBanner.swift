import Foundation
import Synchronization

/// What `daulat dev` prints once both of its listeners are up: where they are and what to try.
final class DevBanner: Sendable {
    let host: String
    let token: String?
    let tokenFile: URL
    let directory: URL
    private let ports = Mutex<(api: Int?, agents: Int?)>((nil, nil))

    init(host: String, token: String?, tokenFile: URL, directory: URL) {
        self.host = host
        self.token = token
        self.tokenFile = tokenFile
        self.directory = directory
    }

    func apiListening(on port: Int) {
        printIfReady(
            ports.withLock { ports in
                ports.api = port
                return ports
            })
    }

    func agentsListening(on port: Int) {
        printIfReady(
            ports.withLock { ports in
                ports.agents = port
                return ports
            })
    }

    private func printIfReady(_ ports: (api: Int?, agents: Int?)) {
        guard let api = ports.api, let agents = ports.agents else { return }
        let url = "http://\(host):\(api)"
        // Written straight to the file handle: print() is buffered when the output is a pipe.
        FileHandle.standardOutput.write(
            Data(
                """
                Daulat dev control plane is running.
                  API:            \(url)/v1   (OpenAPI: \(url)/openapi.yaml)
                  Agent listener: https://\(host):\(agents)   (mutual TLS)
                  Admin token:    \(token ?? "(see \(tokenFile.path))")
                  State:          \(directory.path)
                Try:
                  export DAULAT_ADDR=\(url) DAULAT_TOKEN=$(cat \(tokenFile.path))
                  daulat dataset register --name census-2025 --classification restricted --home ID --owner-agency bps --replicas 3
                  daulat host join-token id-jkt-1-a
                  daulat agent --server \(url) --agent-server https://\(host):\(agents) --join-token TOKEN --data-dir agent-data

                """.utf8))
    }
}
