#if canImport(Glibc)
    import Glibc
#endif

extension Array {
    /// Reserves room for `count` elements and asks the kernel to back large reservations with
    /// transparent huge pages (`MADV_HUGEPAGE`): millions of records then fault in 2 MiB at a time
    /// instead of 4 KiB, which on virtual machines is a large share of the ingest's system time.
    /// Only advice: without THP support nothing changes.
    mutating func reserveCapacityInHugePages(_ count: Int) {
        reserveCapacity(count)
        #if canImport(Glibc)
            let bytes = count * MemoryLayout<Element>.stride
            guard bytes >= 4 << 20 else { return }
            let base = withUnsafeMutableBufferPointer { UnsafeMutableRawPointer($0.baseAddress) }
            guard let base else { return }
            let page = 4096
            let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
            let end = (Int(bitPattern: base) + bytes) & ~(page - 1)
            if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE) }
        #endif
    }
}
