#if canImport(Glibc)
import Glibc
#endif

/// Keeps glibc's malloc from holding memory the scan no longer uses. `malloc_trim` is
/// looked up at run time: the Glibc module does not export `malloc.h`, and elsewhere this
/// simply does nothing.
///
/// Every thread that allocates gets a glibc arena of its own, and an arena keeps what was
/// freed in it: a log read in chunks on two cores peaked at 33.1 MiB on 4 GiB (29 MiB on
/// one core). Limiting the arenas instead made malloc contend between the threads (10-16 %
/// slower with an access log or two files).
public enum MallocTuning {
    /// Gives memory freed since the start back to the system.
    public static func releaseFreed() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }
}
