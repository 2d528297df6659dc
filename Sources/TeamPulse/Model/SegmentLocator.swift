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

    /// The position over all segments of element `index` of segment `segment`.
    func position(segment: Int, index: Int) -> Int { bases[segment] + index }

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
