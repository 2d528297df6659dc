extension Array {
    /// Moves the elements to storage of their count when much of the storage is unused: lists grown
    /// by appending keep up to half their room empty, which the millions of samples and values kept
    /// until the metrics would otherwise hold for the whole run.
    mutating func shrinkToFit() {
        guard capacity - count > count / 8 + 64 else { return }
        let count = count
        self = Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            withUnsafeBufferPointer { old in _ = buffer.initialize(fromContentsOf: old) }
            initialized = count
        }
    }
}
