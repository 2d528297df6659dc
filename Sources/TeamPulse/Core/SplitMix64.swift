/// SplitMix64 (Steele, Lea & Flood 2014): a small, fast generator whose output depends on its seed only,
/// so forecasts and generated sample data are byte-identical across runs, platforms and `--jobs` values.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    /// A generator whose first output is the mix of `seed` + 0x9E3779B97F4A7C15.
    public init(seed: UInt64) { state = seed }

    /// Stream `stream` of `seed`: the state is `mix(seed ^ mix(stream × 0x9E3779B97F4A7C15))`, so streams
    /// of one seed are independent (each sample file has its own, and does not change with another's size).
    public init(seed: UInt64, stream: UInt64) {
        state = Self.mix(seed ^ Self.mix(stream &* Self.increment))
    }

    /// The next 64 random bits (the state advances by the golden-ratio increment, then is mixed).
    public mutating func next() -> UInt64 {
        state &+= Self.increment
        return Self.mix(state)
    }

    /// A number in `0..<1` with 53 random bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    private static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// SplitMix64's output function (a variant of MurmurHash3's finaliser).
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform index in `0..<bound`: the high 64 bits of next() × bound (Lemire's multiply-shift,
    /// without rejection; the bias is below bound / 2⁶⁴).
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}
