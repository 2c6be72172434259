/// Cuts a byte stream into units of `size` bytes and hands a unit over only once a byte after it has
/// arrived: the last unit (which may be whole) is kept back for `rest()`, since only the end of the
/// stream shows which one is last. Whole units are handed over straight from the input, not copied.
struct HeldBackChunks: Sendable {
    let size: Int
    /// At most one unit.
    private var pending: [UInt8] = []

    /// Nothing reserved up front: `size` comes from a header not yet authenticated.
    init(size: Int) {
        self.size = size
    }

    mutating func feed(_ input: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>) throws -> Void) rethrows {
        var input = input
        guard !input.isEmpty else { return }
        if !pending.isEmpty {
            let taken = input.prefix(size - pending.count)
            pending.append(contentsOf: taken)
            input = input.dropFirst(taken.count)
            guard pending.count == size, !input.isEmpty else { return }
            try body(pending[...])
            pending.removeAll(keepingCapacity: true)
        }
        while input.count > size {
            try body(input.prefix(size))
            input = input.dropFirst(size)
        }
        pending.append(contentsOf: input)
    }

    /// What is left at the end of the stream: the last unit, 0 to `size` bytes.
    mutating func rest() -> [UInt8] {
        defer { pending = [] }
        return pending
    }
}
