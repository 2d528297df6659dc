/// Positions over segments (arrays in file order, as chunks produced them) — a position counts the
/// elements of all segments together — and the segment and index each stands at, found by binary search
/// over the segments' starts: no array of positions. It holds only the starts, never the segments, so
/// the segments stay uniquely referenced and change in place.
struct SegmentLocator: Sendable {
    /// Position of each segment's first element.
    private let bases: [Int]
    /// Number of elements over all segments.
    let count: Int

    init<Element>(_ segments: [[Element]]) {
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

    /// The position of element `index` of segment `segment`.
    @inline(__always)
    func position(segment: Int, index: Int) -> Int { bases[segment] + index }

    /// The segment and index of the element at `position`.
    func place(of position: Int) -> (segment: Int, index: Int) {
        // The last segment that starts at or before the position (an empty segment shares its start
        // with the next one, so the later of them is the one holding the element).
        var low = 0
        var high = bases.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if bases[middle] <= position { low = middle } else { high = middle - 1 }
        }
        return (low, position - bases[low])
    }

    /// The element of `segments` (those this locator was made of) at `position`.
    @inline(__always)
    func element<Element>(of segments: [[Element]], at position: Int) -> Element {
        let (segment, index) = place(of: position)
        return segments[segment][index]
    }

    /// Calls `body` with the position and element at each of `positions` (increasing), or at every
    /// position when `positions` is nil; one pass over `segments` (those this locator was made of).
    @inline(__always)
    func forEach<Element>(in segments: [[Element]], at positions: [UInt32]?, _ body: (Int, Element) -> Void) {
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
}
