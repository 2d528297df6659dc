import Dispatch

/// Runs `body` for every index on Dispatch's concurrent workers and returns the results in index
/// order. Each worker writes only its own slot; the caller merges afterwards.
///
/// Bodies that can fail return a `Result`, which the caller unwraps in index order.
public func concurrentMap<Output: Sendable>(_ count: Int, _ body: (Int) -> Output) -> [Output] {
    guard count > 1 else { return (0..<count).map(body) }
    let slots = UnsafeMutableBufferPointer<Output?>.allocate(capacity: count)
    slots.initialize(repeating: nil)
    defer {
        slots.deinitialize()
        slots.deallocate()
    }
    withoutActuallyEscaping(body) { body in
        // Dispatch wants a @Sendable closure; the slots are disjoint per index and `body` is only
        // used while concurrentPerform blocks this call.
        let shared = UncheckedSendable((slots, body))
        DispatchQueue.concurrentPerform(iterations: count) { index in
            shared.value.0[index] = shared.value.1(index)
        }
    }
    return slots.map { $0! }
}

/// Carries a value into a @Sendable closure where the caller guarantees race freedom.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
