import Foundation
import Synchronization

/// What `daulat dev` prints once both of its listeners are up: where they are and what to try.
final class DevBanner: Sendable {
    let host: String
    let token: String?
    let tokenFile: URL
    /// The dev authority's certificate, which the CLI pins.
    let authorityFile: URL
    let directory: URL
    /// How many agents `daulat dev` runs, for the banner.
    let agentCount: Int
    private let ports = Mutex<(api: Int?, agents: Int?)>((nil, nil))

    init(host: String, token: String?, tokenFile: URL, authorityFile: URL, directory: URL, agentCount: Int) {
        self.authorityFile = authorityFile
        self.agentCount = agentCount
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

    /// Both ports once both listeners are up; nil if cancelled first.
    func waitUntilListening() async -> (api: Int, agents: Int)? {
        while !Task.isCancelled {
            if case let (api?, agents?) = ports.withLock({ $0 }) { return (api, agents) }
            guard (try? await Task.sleep(for: .milliseconds(50))) != nil else { return nil }
        }
        return nil
    }

    private func printIfReady(_ ports: (api: Int?, agents: Int?)) {
        guard let api = ports.api, let agents = ports.agents else { return }
        let url = "https://\(host):\(api)"
        let agentsLine =
            agentCount == 0
            ? "none (--no-agents)" : "\(agentCount), one per storage host, data under \(directory.path)/agents"
        // Written straight to the file handle: print() is buffered when the output is a pipe.
        FileHandle.standardOutput.write(
            Data(
                """
                Daulat dev control plane is running.
                  API:            \(url)/v1   (OpenAPI: \(url)/openapi.yaml; CA: \(authorityFile.path))
                  Agent listener: https://\(host):\(agents)   (mutual TLS)
                  Agents:         \(agentsLine)
                  Admin token:    \(token ?? "(see \(tokenFile.path))")
                  State:          \(directory.path)
                  States' keys:   \(directory.path)/authorities (one per jurisdiction), \(directory.path)/members (bps),
                                  \(directory.path)/charter.json (signed by every authority; hosts and clients pin it),
                                  \(directory.path)/witnesses (each state's witness cosigns the audit log)
                Try:
                  export DAULAT_ADDR=\(url) DAULAT_CA_CERT=\(authorityFile.path) DAULAT_TOKEN=$(cat \(tokenFile.path))
                  export DAULAT_MEMBER_KEY=\(directory.path)/members/bps.pem DAULAT_MEMBER_CERTIFICATE=\(directory.path)/members/bps.member
                  export DAULAT_CHARTER=\(directory.path)/charter.json
                  daulat dataset register --name census-2025 --classification restricted --home ID --owner-agency bps --replicas 3
                  daulat dataset put census-2025 FILE      # stored on an agent in an allowed place, then copied
                  daulat dataset objects census-2025       # which hosts hold each object
                  daulat dataset get census-2025 --to copy # bps signs the consent; custodians check it
                  daulat host list                         # the agents and their heartbeats

                """.utf8))
    }
}
