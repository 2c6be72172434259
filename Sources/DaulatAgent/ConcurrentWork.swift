/// Runs `body` for every element, at most `width` at a time: an agent's copies and releases each wait
/// on the network and the control plane, so a few at once keep the disk and the links busy where one
/// at a time would leave them idle between round trips. The first error ends the rest.
enum ConcurrentWork {
    static func forEach<Element: Sendable>(
        _ elements: [Element], width: Int, _ body: @escaping @Sendable (Element) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = elements.makeIterator()
            for _ in 0..<max(1, width) {
                guard let element = next.next() else { break }
                group.addTask { try await body(element) }
            }
            while try await group.next() != nil {
                guard let element = next.next() else { continue }
                group.addTask { try await body(element) }
            }
        }
    }
}
