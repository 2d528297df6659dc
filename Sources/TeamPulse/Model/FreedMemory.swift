/// Hands the memory freed so far back to the system. glibc keeps freed blocks for reuse, and the
/// blocks the ingest frees (chunk tables, merged-away lists, storage given back by `shrinkToFit`) lie
/// between blocks still in use, so without this they stay resident for the rest of the run. Called
/// between stages: it takes milliseconds.
func releaseFreedMemory() {
    #if os(Linux)
        _ = glibcMallocTrim(0)
    #endif
}

#if os(Linux)
    /// glibc's `int malloc_trim(size_t pad)` (`<malloc.h>`, which the Glibc module does not export).
    @_silgen_name("malloc_trim")
    private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
