import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps the agent's memory flat however large the objects it moves. Every transfer passes through
/// buffers of a few hundred kilobytes allocated on many threads; left to its defaults, glibc's
/// allocator keeps an arena per thread and raises its mmap threshold as buffers are freed, so the
/// process keeps pages it no longer uses and grows with the size of the object. With two arenas and a
/// fixed threshold, those buffers are mapped and returned to the system one by one.
public enum MemoryTuning {
    public static func apply() {
        #if canImport(Glibc)
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            // mallopt is in every glibc but not in Swift's Glibc module.
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            let arenaMaximum: Int32 = -8  // M_ARENA_MAX
            let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
            _ = mallopt(arenaMaximum, 2)
            _ = mallopt(mmapThreshold, 128 * 1024)
        #endif
    }
}
