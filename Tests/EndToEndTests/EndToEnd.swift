import Testing

/// Every end-to-end suite runs the real binary, often several processes at once; they take turns, so
/// that together they do not starve each other (or the other tests) of this machine's cores.
@Suite("End to end", .serialized)
enum EndToEnd {}
