/// The 64-bit FNV-1a hash: small, fast and identical on every platform and run (unlike `Hasher`),
/// for hash tables over field bytes and for seeds derived from ids.
enum FNV1a {
    /// The standard 64-bit offset basis, the seed of a plain FNV-1a hash.
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The 64-bit FNV prime.
    static let prime: UInt64 = 0x100_0000_01b3

    /// The hash of `bytes`, starting from `seed` (another seed gives an independent second hash).
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64 = offsetBasis) -> UInt64 {
        var hash = seed
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* prime }
        return hash
    }

    /// The hash of `text`'s UTF-8 bytes.
    static func hash(_ text: String) -> UInt64 {
        var hash = offsetBasis
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* prime }
        return hash
    }
}
