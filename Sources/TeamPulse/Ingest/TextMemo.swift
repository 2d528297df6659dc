/// The distinct texts of a column with few values (a ticket's `category`) that one worker has met, so
/// that each is made into a `String` once instead of once per record. Past `capacity` distinct texts
/// (a column that holds free text after all) the others are made per record, as without the memo.
struct TextMemo {
    static let defaultCapacity = 4096

    private var table = ByteTable()
    private var texts: [String] = []
    private let capacity: Int

    init(capacity: Int = TextMemo.defaultCapacity) {
        self.capacity = capacity
    }

    /// The bytes as a `String` (`String(decoding:as: UTF8.self)`).
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if let index = table.lookup(bytes) { return texts[Int(index)] }
        let text = String(decoding: bytes, as: UTF8.self)
        if texts.count < capacity {
            table.insert(bytes, value: Int32(texts.count))
            texts.append(text)
        }
        return text
    }
}
