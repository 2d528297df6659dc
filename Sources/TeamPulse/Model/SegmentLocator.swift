/// The elements of segments (arrays in file order, as chunks produced them) by their position over all
/// segments together, found by binary search over the segments' starts: no array of positions.
struct SegmentLocator<Element> {
    let segments: [[Element]]
    /// Position of each segment's first element.
    private let bases: [Int]
    /// Number of elements over all segments.
    let count: Int

    init(_ segments: [[Element]]) {
        self.segments = segments
        var bases: [Int] = []
        bases.reserveCapacity(segments.count)
        var running = 0
        for segment in segments {
            bases.append(running)
            running += segment.count
        }
        self.bases = bases
        count = running
    }

    /// Calls `body` with the position and element at each of `positions` (increasing), or at every
    /// position when `positions` is nil; one pass over the segments.
    @inline(__always)
    func forEach(at positions: [UInt32]?, _ body: (Int, Element) -> Void) {
        guard let positions else {
            var position = 0
            for segment in segments {
                for element in segment {
                    body(position, element)
                    position += 1
                }
            }
            return
        }
        var segment = 0
        for next in positions {
            let position = Int(next)
            while segment + 1 < bases.count, bases[segment + 1] <= position { segment += 1 }
            body(position, segments[segment][position - bases[segment]])
        }
    }

    subscript(position: Int) -> Element {
        // The last segment that starts at or before the position.
        var low = 0
        var high = bases.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if bases[middle] <= position { low = middle } else { high = middle - 1 }
        }
        return segments[low][position - bases[low]]
    }
}
