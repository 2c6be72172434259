import Hummingbird
import NIOCore

/// A request to the agent's object server, knowing the event loop of its connection: a download
/// waits on it after each chunk so that reading from disk never runs ahead of the socket.
struct AgentDataRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let eventLoop: any EventLoop

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.eventLoop = source.channel.eventLoop
    }
}
