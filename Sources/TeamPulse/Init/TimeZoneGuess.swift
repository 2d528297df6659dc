import Foundation

extension InitPlanner {
    /// The pipeline's zone: Asia/Shanghai for a Chinese header (unless the data's times carry another
    /// local offset); else the local UTC offset most of the data's timestamps carry (`Z` and +00:00 do
    /// not count); else UTC. Always a guess for the user to check.
    static func timeZone(_ inputs: [ChosenInput], samples: [FileSample]) -> (String, String) {
        var offsets: [Int: Int] = [:]
        for (input, sample) in zip(inputs, samples) {
            for index in timestampIndices(input.match) {
                for (value, count) in sample.values[index] {
                    if let offset = utcOffsetMinutes(value) { offsets[offset, default: 0] += count }
                }
            }
        }
        let chinese = inputs.contains { input in
            input.files[0].header.contains { $0.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }
        }
        // Times in UTC (`Z`, +00:00) say nothing about the shop's own zone: the other offsets decide.
        let local = offsets.filter { $0.key != 0 }.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
        if chinese, local == nil || local == 8 * 60 {
            return ("Asia/Shanghai", local == nil ? "a Chinese export without local UTC offsets" : "a Chinese export whose times carry +08:00")
        }
        if offsets[0] != nil, local == nil { return ("UTC", "the data's times are in UTC (Z, +00:00): name the zone the shop works in") }
        if let offset = local {
            let written = String(format: "%@%02d:%02d", offset < 0 ? "-" : "+", abs(offset) / 60, abs(offset) % 60)
            if offset % 60 == 0 {
                // POSIX names count the other way: Etc/GMT+7 is UTC−07:00.
                let zone = "Etc/GMT\(offset < 0 ? "+" : "-")\(abs(offset) / 60)"
                return (zone, "the data's times carry \(written): a fixed offset; name the shop's zone (e.g. America/Los_Angeles) for daylight saving time")
            }
            if offset == 330 { return ("Asia/Kolkata", "the data's times carry +05:30") }
            return ("UTC", "the data's times carry \(written), which no zone name is guessed for")
        }
        return ("UTC", "no time in the data carries a UTC offset: name the zone the shop works in")
    }

    /// The UTC offset at the end of a timestamp (`Z`, `±HH:MM`, `±HHMM`, `±HH`), in minutes.
    static func utcOffsetMinutes(_ value: String) -> Int? {
        let bytes = Array(value.utf8.suffix(7))
        guard value.utf8.count > 10, let last = bytes.last else { return nil }
        if last == UInt8(ascii: "Z") { return bytes.count > 1 && ValueParser.isDigit(bytes[bytes.count - 2]) ? 0 : nil }
        guard let sign = bytes.lastIndex(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }) else { return nil }
        let digits = bytes[(sign + 1)...].filter { $0 != UInt8(ascii: ":") }
        guard [2, 4].contains(digits.count), digits.allSatisfy(ValueParser.isDigit) else { return nil }
        let number = digits.reduce(0) { $0 * 10 + Int($1 - ValueParser.digit0) }
        let minutes = digits.count == 2 ? number * 60 : number / 100 * 60 + number % 100
        return bytes[sign] == UInt8(ascii: "-") ? -minutes : minutes
    }
}
