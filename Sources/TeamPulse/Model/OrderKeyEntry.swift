/// What is kept of one accepted order once it is folded: its key's digest (duplicates, ticket links,
/// `relationships`), where it stands (to read it again) and its team — 36 bytes, packed without padding.
public struct OrderKeyEntry: Sendable, Equatable {
    public var key: KeyDigest
    // The record's span (``RecordSpan``) in 32-bit words: offset, file index and offset's top bits, line, length.
    private var offsetLow: UInt32
    private var offsetHighAndFile: UInt32
    private var line: UInt32
    private var length: UInt32
    public var team: TeamIndex

    init(_ order: Order) {
        key = order.id.digest
        let span = order.span
        let packed = UInt64(span.byteOffset) | UInt64(span.fileIndex) << 48
        offsetLow = UInt32(truncatingIfNeeded: packed)
        offsetHighAndFile = UInt32(truncatingIfNeeded: packed >> 32)
        line = UInt32(span.line)
        length = UInt32(span.length)
        team = order.team
    }

    /// Where the record stands in its file.
    public var span: RecordSpan {
        let packed = UInt64(offsetLow) | UInt64(offsetHighAndFile) << 32
        return RecordSpan(
            line: Int(line), byteOffset: Int(packed & 0xFFFF_FFFF_FFFF), length: Int(length), fileIndex: Int(packed >> 48))
    }
}
