import NIOCore
import NIOPosix

/// A TCP forwarder on loopback that a test can cut and restore, to take a real database away from a
/// server and give it back without stopping the database.
public actor TCPProxy {
    /// The loopback port it listens on: chosen by the system on the first ``open()``, kept after that.
    public private(set) var port = 0
    nonisolated let targetHost: String
    nonisolated let targetPort: Int
    private var server: (any Channel)?
    private var connections: [any Channel] = []

    public init(targetHost: String, targetPort: Int) {
        self.targetHost = targetHost
        self.targetPort = targetPort
    }

    /// Starts accepting and forwarding connections (again, on the same port, after ``close()``).
    public func open() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        self.server = server.channel
        port = server.channel.localAddress?.port ?? port
        Task {
            try? await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await client in inbound {
                        group.addTask { await self.forward(client) }
                    }
                }
            }
        }
    }

    /// Stops accepting and drops every open connection, as a database that went away would.
    public func close() async {
        try? await server?.close()
        server = nil
        for connection in connections { try? await connection.close() }
        connections = []
    }

    private func register(_ channel: any Channel) { connections.append(channel) }

    private func forward(_ client: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        register(client.channel)
        do {
            let upstream = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: targetHost, port: targetPort) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            register(upstream.channel)
            try await client.executeThenClose { clientIn, clientOut in
                try await upstream.executeThenClose { upstreamIn, upstreamOut in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { for try await bytes in clientIn { try await upstreamOut.write(bytes) } }
                        group.addTask { for try await bytes in upstreamIn { try await clientOut.write(bytes) } }
                        try await group.next()
                        group.cancelAll()
                    }
                }
            }
        } catch {
            try? await client.channel.close()
        }
    }
}
