/// A text in English and Chinese (`report: {lang: en|zh}` picks one): the labels of metrics, units
/// and families in the catalogue, and of inputs, reject reasons and data tests next to their types.
public struct MetricLabel: Sendable, Equatable {
    public var en: String
    public var zh: String

    public init(en: String, zh: String) {
        self.en = en
        self.zh = zh
    }
}
