import Dispatch
import Foundation

/// Runs `body` for every index on at most `width` Dispatch workers and returns the results in index
/// order. Workers take the next index as they become free; each writes only its own slot, and the
/// caller merges afterwards.
///
/// Bodies that can fail return a `Result`, which the caller unwraps in index order.
public func concurrentMap<Output: Sendable>(
    _ count: Int, width: Int = ProcessInfo.processInfo.activeProcessorCount, _ body: (Int) -> Output
) -> [Output] {
    let workers = min(max(1, width), count)
    guard workers > 1 else { return (0..<count).map(body) }
    let slots = UnsafeMutableBufferPointer<Output?>.allocate(capacity: count)
    slots.initialize(repeating: nil)
    defer {
        slots.deinitialize()
        slots.deallocate()
    }
    let next = NextIndex()
    withoutActuallyEscaping(body) { body in
        // Dispatch wants a @Sendable closure; the slots are disjoint per index and `body` is only
        // used while concurrentPerform blocks this call.
        let shared = UncheckedSendable((slots, body))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = next.take(below: count) {
                shared.value.0[index] = shared.value.1(index)
            }
        }
    }
    return slots.map { $0! }
}

/// Hands out 0, 1, 2… to concurrent workers.
private final class NextIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// Carries a value into a @Sendable closure where the caller guarantees race freedom.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
