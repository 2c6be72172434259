import Testing

/// Attacks on the running system, each as the hostile party would make it (another agency, one agent
/// or custodian host, the network between data centres) through the public interfaces, against real
/// servers and real agent and custodian processes. `docs/security.md` lists every attack tried here.
/// They take turns: each starts several processes.
@Suite("Attacks", .serialized, .timeLimit(.minutes(4)))
enum Attacks {}
