import Foundation

/// Best guesses for source values of enumerated columns that the input's vocabulary (``Vocabularies``)
/// does not know (`teampulse init` writes them into `values:`, each marked `# check`). Written
/// once, as data. A value takes the guess of the first entry one of whose words it holds: an English
/// word matches the start of a word of the value, in any letter case (`cancel` matches `Canceled`,
/// `paid` does not match `unpaid`); a Chinese word anywhere in it. The tables are tried in order, so
/// the more specific words come first.
public enum ValueGuesses {
    /// Order status words: word → canonical status, first match wins (`待付款` before `付款`, a refund
    /// or cancellation before any other state it mentions).
    static let orderStatus: [(words: [String], status: OrderStatus)] = [
        (["refund", "returned", "returning", "退款", "退货"], .refunded),
        (["cancel", "void", "unavailable", "expired", "failed", "rejected", "取消", "关闭", "失败", "作废"], .cancelled),
        (["unpaid", "awaiting payment", "pending payment", "待付款", "待支付", "未付款", "未支付", "等待付款", "等待买家付款"], .created),
        (["created", "pending", "new", "placed", "open", "已下单", "新建", "待确认"], .created),
        (["deliver", "complete", "received", "finished", "fulfilled", "签收", "完成", "成功", "收货", "已结算"], .delivered),
        (["ship", "dispatch", "transit", "sent", "发货", "出库", "配送", "运输"], .shipped),
        (["paid", "approved", "invoiced", "processing", "confirmed", "authorized", "付款", "支付", "待发货", "备货"], .paid),
    ]

    /// Satisfaction words: word → score 1–5, or nil for "no rating"; first match wins.
    static let satisfaction: [(words: [String], csat: Int?)] = [
        (["unoffered", "not offered", "offered", "no rating", "not rated", "未评价", "未评分"], nil),
        (["very dissatisfied", "very unsatisfied", "非常不满意"], 1),
        (["bad", "terrible", "差评"], 1),
        (["dissatisfied", "unsatisfied", "poor", "不满意"], 2),
        (["neutral", "okay", "一般", "中评"], 3),
        (["very satisfied", "excellent", "非常满意"], 5),
        (["good", "great", "好评"], 5),
        (["satisfied", "满意"], 4),
    ]

    /// The canonical status a source word most likely means, or nil when no word of the table occurs.
    public static func orderStatus(for value: String) -> OrderStatus? {
        let text = Text(value)
        return orderStatus.first { entry in entry.words.contains(where: text.holds) }?.status
    }

    /// The satisfaction a source word most likely means: `.some(score)` (nil score: no rating), or nil
    /// when no word of the table occurs.
    public static func satisfaction(for value: String) -> Int?? {
        let text = Text(value)
        guard let entry = satisfaction.first(where: { entry in entry.words.contains(where: text.holds) }) else { return nil }
        return .some(entry.csat)
    }

    /// A value prepared for matching: its ASCII words lower-cased, each after one space, and the value
    /// itself for Chinese words.
    struct Text {
        let words: String
        let raw: String

        init(_ value: String) {
            raw = value
            let lowered = value.lowercased()
            var words = ""
            var inWord = false
            for scalar in lowered.unicodeScalars {
                let isLetter = scalar.isASCII && (CharacterSet.lowercaseLetters.contains(scalar) || CharacterSet.decimalDigits.contains(scalar))
                if isLetter {
                    if !inWord { words += " " }
                    words.unicodeScalars.append(scalar)
                }
                inWord = isLetter
            }
            self.words = words
        }

        func holds(_ word: String) -> Bool {
            word.unicodeScalars.allSatisfy(\.isASCII) ? words.contains(" " + word) : raw.contains(word)
        }
    }
}

extension ValueGuesses {
    /// The canonical value of an enumerated column (as `values:` names it) that a source value most
    /// likely means; nil when there is no guess (or no table for the column).
    static func guess(_ value: String, for column: EnumeratedColumn) -> String? {
        switch (column.kind, column.column) {
        case (.orders, "status"): orderStatus(for: value)?.rawValue
        case (.tickets, "csat"): satisfaction(for: value).map { $0.map(String.init) ?? EnumeratedColumn.noRating }
        default: nil
        }
    }
}
