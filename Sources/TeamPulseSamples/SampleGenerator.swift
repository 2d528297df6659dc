import Foundation
import TeamPulse

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a synthetic, deterministic export set: `orders.csv`, `tickets.csv`, `tasks.csv`.
///
/// The files look like raw exports of a Chinese e-commerce company: the teams' members are read from
/// `seedsFolder`, the stores and warehouses are those of the repository's `seeds/` (written here), plus
/// a few deliberate strangers: a store and a temporary agent the seeds do not know, team names instead
/// of ids, ids of orders that do not exist.
/// Orders have Chinese headers and local timestamps, tickets ISO 8601 timestamps with the `+08:00`
/// offset, tasks minute timestamps and date-only deadlines. Ids are sequential in creation order
/// (`TB` + 12 digits, `ZD` + 8, `TASK-` + 5, wider if needed). Nothing happens after the end of
/// `endDate`: events that would fall later are left empty, as in a real export taken at that moment.
///
/// With `badRows`, each file ends with deliberately malformed records (orders: too few fields, too
/// many, a bad timestamp, a non-numeric amount, a duplicate id; tickets: an empty id, a csat of 7, a
/// broken quote followed by one more good ticket; tasks: two bad timestamps), so the line numbers of
/// the good records do not depend on it.
///
/// The output depends on the arguments only: one SplitMix64 stream per file drives every choice, and
/// no clock, locale, hash order or libm function is involved, so the same arguments give
/// byte-identical files on any machine. Rows are formatted by hand into a buffer flushed every MiB,
/// so memory stays flat whatever the size.
public struct SampleGenerator: Sendable {
    /// Number of order records (bad rows not included).
    public var orders: Int
    /// Number of ticket records (default `orders / 5`).
    public var tickets: Int
    /// Number of task records (default `orders / 50`).
    public var tasks: Int
    /// Seed of the pseudo-random generator: the same seed gives byte-identical files.
    public var seed: UInt64
    /// Last day of data, in local time (Asia/Shanghai, fixed UTC+8).
    public var endDate: LocalDate
    /// Number of days of data ending with `endDate` (default 35, five weeks).
    public var days: Int
    /// Appends deliberately malformed records after the good records of each file.
    public var badRows: Bool
    /// The seeds folder whose `teams.csv` and `members.csv` give the teams' members.
    public var seedsFolder: String

    /// A generator of `orders` orders over the `days` days ending with `endDate`; `tickets` defaults to
    /// `orders / 5` and `tasks` to `orders / 50`; the teams' members are those of `seedsFolder`.
    public init(
        orders: Int, tickets: Int? = nil, tasks: Int? = nil, seed: UInt64 = 1, endDate: LocalDate, days: Int = 35,
        badRows: Bool = false, seedsFolder: String
    ) {
        self.orders = orders
        self.tickets = tickets ?? orders / 5
        self.tasks = tasks ?? orders / 50
        self.seed = seed
        self.endDate = endDate
        self.days = days
        self.badRows = badRows
        self.seedsFolder = seedsFolder
    }

    /// Writes the three files into `folder` (created if needed); returns the file paths written.
    ///
    /// Each file is written under a temporary name and renamed into place once complete.
    public func write(to folder: String) throws(TeamPulseError) -> [String] {
        guard orders >= 0, tickets >= 0, tasks >= 0 else {
            throw .usage("sample counts must not be negative")
        }
        guard orders <= Self.maxOrders else { throw .usage("at most \(Self.maxOrders) sample orders") }
        guard (1...Self.maxDays).contains(days) else { throw .usage("sample days must be 1 to \(Self.maxDays)") }
        let roster = try Roster(seeds: seedsFolder)
        try FileSystem.createFolder(folder)
        let paths = ["orders.csv", "tickets.csv", "tasks.csv"].map { (folder as NSString).appendingPathComponent($0) }
        let window = Window(endDate: endDate, days: days)

        var orderFile = OrderFile(window: window, count: orders, random: SplitMix64(seed: seed, stream: 1))
        let orderHistory = try orderFile.write(to: paths[0], badRows: badRows)
        var ticketFile = TicketFile(
            window: window, count: tickets, orders: orderHistory, roster: roster, random: SplitMix64(seed: seed, stream: 2))
        try ticketFile.write(to: paths[1], badRows: badRows)
        var taskFile = TaskFile(window: window, count: tasks, roster: roster, random: SplitMix64(seed: seed, stream: 3))
        try taskFile.write(to: paths[2], badRows: badRows)
        return paths
    }

    /// Order ids have 12 digits.
    static let maxOrders = 999_999_999_999
    /// Ten years (the order history keeps a counter per hour of the window).
    static let maxDays = 3660
}

// MARK: - Randomness

extension SplitMix64 {
    /// A number in `0..<bound` (`bound` > 0).
    fileprivate mutating func below(_ bound: Int) -> Int { index(below: bound) }

    /// True with probability `probability`.
    fileprivate mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    fileprivate mutating func element<Element>(of array: [Element]) -> Element { array[below(array.count)] }
}

extension SampleGenerator {
    /// A choice of an index with integer weights.
    fileprivate struct Weighted {
        private let cumulative: [Int]

        init(_ weights: [Int]) {
            var total = 0
            cumulative = weights.map { weight in
                total += weight
                return total
            }
            precondition(total > 0, "weights must not all be zero")
        }

        func pick(_ random: inout SplitMix64) -> Int {
            let target = random.below(cumulative[cumulative.count - 1])
            var index = 0
            while cumulative[index] <= target { index += 1 }
            return index
        }
    }

    /// Field values, encoded once as CSV fields, with integer weights.
    fileprivate struct Choices {
        let fields: [[UInt8]]
        private let weights: Weighted

        init(_ entries: [(String, Int)]) {
            fields = entries.map { csvField($0.0) }
            weights = Weighted(entries.map(\.1))
        }

        func pickIndex(_ random: inout SplitMix64) -> Int { weights.pick(&random) }
        func pick(_ random: inout SplitMix64) -> [UInt8] { fields[weights.pick(&random)] }
    }

    /// A distribution given by points of its quantile function (cumulative probability, value), linearly
    /// interpolated. Uses only IEEE 754 arithmetic, no libm, so samples are identical on every platform.
    fileprivate struct Quantiles {
        private let probabilities: [Double]
        private let values: [Double]

        init(_ points: [(probability: Double, value: Double)]) {
            precondition(points.first?.probability == 0 && points.last?.probability == 1)
            probabilities = points.map(\.probability)
            values = points.map(\.value)
        }

        func sample(_ random: inout SplitMix64) -> Double {
            let u = random.unit()
            var upper = 1
            while upper < probabilities.count - 1, u >= probabilities[upper] { upper += 1 }
            let lower = upper - 1
            let fraction = (u - probabilities[lower]) / (probabilities[upper] - probabilities[lower])
            return values[lower] + (values[upper] - values[lower]) * fraction
        }

        /// A sample in whole seconds, the distribution being in units of `unit` seconds.
        func seconds(_ random: inout SplitMix64, unit: Int64) -> Int64 { Int64(sample(&random) * Double(unit)) }
    }
}

// MARK: - Time

extension SampleGenerator {
    /// Times are seconds since 1970-01-01 00:00 local wall-clock time (UTC+8 has no DST, so no conversion).
    fileprivate static let minute: Int64 = 60
    fileprivate static let hour: Int64 = 3600
    fileprivate static let day: Int64 = 86_400

    /// The days of data and the promotion day among them.
    fileprivate struct Window {
        let firstDay: Int64
        let dayCount: Int
        /// Index of the promotion day: 11 November if inside the window, else four days before the end.
        let promotionIndex: Int

        init(endDate: LocalDate, days: Int) {
            firstDay = endDate.dayNumber - Int64(days - 1)
            dayCount = days
            let elevenEleven = (0..<days).last(where: { index in
                let (_, month, day) = LocalDate(dayNumber: endDate.dayNumber - Int64(days - 1 - index)).civil
                return month == 11 && day == 11
            })
            promotionIndex = elevenEleven ?? max(0, days - 5)
        }

        /// Local midnight starting day `index` of the window.
        func start(ofDay index: Int) -> Int64 { (firstDay + Int64(index)) * SampleGenerator.day }

        /// The first second after the data.
        var end: Int64 { start(ofDay: dayCount) }

        /// `time` if it is not after the data end, else nil: the event has not happened yet.
        func observed(_ time: Int64) -> Int64? { time < end ? time : nil }

        var hourCount: Int { dayCount * 24 }

        /// Index of the window hour holding `time`, clamped to the window.
        func hourIndex(of time: Int64) -> Int {
            Int(min(max(time - start(ofDay: 0), 0) / SampleGenerator.hour, Int64(hourCount - 1)))
        }

        /// Day of the week of day `index`: 0 is Monday.
        func weekday(ofDay index: Int) -> Int { LocalDate(dayNumber: firstDay + Int64(index)).weekday }
    }

    /// Splits `total` into parts proportional to `weights`, exactly and without floating point.
    fileprivate static func apportion(_ total: Int, weights: [Int]) -> [Int] {
        let sum = weights.reduce(0, +)
        var cumulative = 0
        var assigned = 0
        return weights.map { weight in
            cumulative += weight
            let through = sum.dividingFullWidth(total.multipliedFullWidth(by: cumulative)).quotient
            defer { assigned = through }
            return through - assigned
        }
    }

    /// Creation times of `counts[d]` records on each day `d`, in chronological order, spread over each
    /// day by an hourly profile (weights of the 24 hours).
    fileprivate struct Schedule {
        let window: Window
        let counts: [Int]
        /// Resolution of the times in seconds: 1, or 60 for minute timestamps.
        let step: Int64

        func times(onDay index: Int, profile: Weighted, _ random: inout SplitMix64) -> [Int64] {
            let start = window.start(ofDay: index)
            let stepsPerHour = Int(SampleGenerator.hour / step)
            var times: [Int64] = []
            times.reserveCapacity(counts[index])
            for _ in 0..<counts[index] {
                let hour = Int64(profile.pick(&random))
                times.append(start + hour * SampleGenerator.hour + Int64(random.below(stepsPerHour)) * step)
            }
            times.sort()
            return times
        }
    }
}

// MARK: - Reference data

extension SampleGenerator {
    /// The teams the generator writes, by the id they have in `seeds/teams.csv`; their members come from
    /// the seeds (``Roster``), what they do is written here.
    fileprivate enum Team: Int, CaseIterable {
        case opsProduct, opsCampaign, opsUser, marketing, csPresales, csAftersales, techPlatform, techData
        case logisticsWarehouse, logisticsDelivery, design, management

        var id: String {
            switch self {
            case .opsProduct: "ops-product"
            case .opsCampaign: "ops-campaign"
            case .opsUser: "ops-user"
            case .marketing: "marketing"
            case .csPresales: "cs-presales"
            case .csAftersales: "cs-aftersales"
            case .techPlatform: "tech-platform"
            case .techData: "tech-data"
            case .logisticsWarehouse: "logistics-wh"
            case .logisticsDelivery: "logistics-delivery"
            case .design: "design"
            case .management: "management"
            }
        }

        /// Teams that send this team work (tasks' `requester_team`).
        var requesters: [Team] {
            switch self {
            case .design: [.marketing, .opsCampaign, .opsProduct, .opsUser]
            case .techPlatform: [.csAftersales, .opsProduct, .opsCampaign, .marketing, .logisticsWarehouse]
            case .techData: [.management, .marketing, .opsUser, .opsProduct]
            case .opsProduct, .opsCampaign, .opsUser: [.marketing, .management]
            case .marketing: [.opsCampaign, .management]
            case .csPresales, .csAftersales: [.opsProduct, .management]
            case .logisticsWarehouse, .logisticsDelivery: [.opsProduct, .csAftersales]
            case .management: []
            }
        }

        /// What the team's tasks are about, for task titles.
        var workItems: [String] {
            switch self {
            case .opsProduct: ["商品详情页", "SKU 价格表", "主图视频", "新品上架计划"]
            case .opsCampaign: ["双11会场", "满减活动规则", "直播间排期", "campaign landing page"]
            case .opsUser: ["会员积分规则", "用户分层 push", "新客礼包", "CRM 短信模板"]
            case .marketing: ["品牌联名方案", "KOL 投放清单", "social media calendar", "广告素材"]
            case .csPresales: ["售前话术库", "FAQ 知识库", "自动回复规则", "咨询转化报表"]
            case .csAftersales: ["退换货流程", "工单分派规则", "赔付标准", "售后质检报告"]
            case .techPlatform: ["订单服务", "支付回调", "checkout API", "库存同步任务", "CDN 配置"]
            case .techData: ["数据看板", "GMV 日报", "ETL pipeline", "用户画像标签"]
            case .logisticsWarehouse: ["拣货单打印", "库位调整", "盘点计划", "WMS 接口"]
            case .logisticsDelivery: ["快递面单模板", "配送时效报表", "carrier SLA review", "偏远地区运费"]
            case .design: ["活动主视觉", "详情页模板", "icon set", "品牌 VI 手册"]
            case .management: ["季度 OKR", "预算复盘", "weekly business review", "组织架构调整"]
            }
        }

    }

    /// The generator's teams with their members from the seeds: `teams.csv` must hold every team the
    /// generator writes, and `members.csv` at least one member of each (leads first, then file order).
    fileprivate struct Roster {
        /// Team ids and member names by `Team`, encoded once as CSV fields.
        let idFields: [[UInt8]]
        let memberFields: [[[UInt8]]]
        /// Every member, team by team.
        let allMemberFields: [[UInt8]]

        init(seeds folder: String) throws(TeamPulseError) {
            let seeds = try Seeds.load(from: folder, windows: (1...366).map { WindowSpec(days: $0) })
            let known = Set(seeds.teams.map(\.id))
            var members: [[[UInt8]]] = []
            for team in Team.allCases {
                guard known.contains(team.id) else {
                    let path = displayPath((folder as NSString).appendingPathComponent("teams.csv"))
                    throw .seed(SourceLocation(path: path), "the sample generator writes team '\(team.id)', which is not in it")
                }
                let rows = seeds.members.filter { $0.team == team.id }
                let names = (rows.filter { $0.role == "lead" } + rows.filter { $0.role != "lead" }).map(\.name)
                guard !names.isEmpty else {
                    let path = displayPath((folder as NSString).appendingPathComponent("members.csv"))
                    throw .seed(SourceLocation(path: path), "team '\(team.id)' has no members; the sample generator needs one at least")
                }
                members.append(names.map(csvField))
            }
            idFields = Team.allCases.map { csvField($0.id) }
            memberFields = members
            allMemberFields = members.flatMap { $0 }
        }

        func idField(_ team: Team) -> [UInt8] { idFields[team.rawValue] }
        func memberField(_ team: Team, _ index: Int) -> [UInt8] { memberFields[team.rawValue][index] }

        /// A member index of `team`, the lead being picked a third as often as each other member.
        func pickMember(_ team: Team, _ random: inout SplitMix64) -> Int {
            let count = memberFields[team.rawValue].count
            guard count > 1 else { return 0 }
            let draw = random.below(3 * count - 2)
            return draw == 0 ? 0 : 1 + (draw - 1) / 3
        }
    }

    /// Which orders exist before a given hour, so that tickets can refer to earlier orders.
    ///
    /// Orders are numbered in creation order, so the orders created before hour `h` of the window are
    /// the numbers `1...createdBefore[h]`.
    fileprivate struct OrderHistory {
        let window: Window
        /// Relative order volume of each day, which drives the ticket volume.
        let dayWeights: [Int]
        private var createdBefore: [Int]

        init(window: Window, dayWeights: [Int]) {
            self.window = window
            self.dayWeights = dayWeights
            createdBefore = Array(repeating: 0, count: window.hourCount + 1)
        }

        /// Counts an order created at `time`; orders must be recorded in chronological order.
        mutating func record(_ time: Int64) {
            createdBefore[window.hourIndex(of: time) + 1] += 1
        }

        /// Turns the per-hour counts into running totals once every order is recorded.
        mutating func seal() {
            for index in 1..<createdBefore.count { createdBefore[index] += createdBefore[index - 1] }
        }

        /// The number of an order created before the hour of `time`, preferably within `lag` seconds
        /// before it; nil when there is none.
        func order(before time: Int64, lag: Int64, _ random: inout SplitMix64) -> Int? {
            let available = createdBefore[window.hourIndex(of: time)]
            guard available > 0 else { return nil }
            let recent = createdBefore[window.hourIndex(of: time - lag)]
            let low = recent < available ? recent : 0
            return low + random.below(available - low) + 1
        }
    }
}

// MARK: - CSV output

extension SampleGenerator {
    fileprivate enum Byte {
        static let comma = UInt8(ascii: ",")
        static let quote = UInt8(ascii: "\"")
        static let lineFeed = UInt8(ascii: "\n")
        static let carriageReturn = UInt8(ascii: "\r")
        static let zero = UInt8(ascii: "0")
        static let dash = UInt8(ascii: "-")
        static let colon = UInt8(ascii: ":")
        static let space = UInt8(ascii: " ")
        static let dot = UInt8(ascii: ".")
        static let semicolon = UInt8(ascii: ";")
        static let timeSeparator = UInt8(ascii: "T")
    }

    /// The 0-based position of canonical column `name` of `kind` (the files are written in schema order).
    fileprivate static func column(_ kind: InputKind, _ name: String) -> Int {
        CanonicalSchema.columns(of: kind).firstIndex(of: name)!
    }

    /// `text` as one CSV field, quoted by TeamPulse's rule (``CSVTable/quoted(_:)``).
    fileprivate static func csvField(_ text: String) -> [UInt8] { Array(CSVTable.quoted(text).utf8) }

    fileprivate enum TimestampStyle {
        /// `YYYY-MM-DD HH:MM:SS`, local time.
        case seconds
        /// `YYYY-MM-DD HH:MM`, local time.
        case minutes
        /// `YYYY-MM-DDTHH:MM:SS+08:00`.
        case iso8601
    }

    /// A CSV file written row by row, field by field, into a buffer flushed every MiB, under a temporary
    /// name that `finish()` renames into place (an unfinished file is removed).
    ///
    /// A non-copyable struct rather than a class: exclusive access is then checked at compile time,
    /// not on every buffer append.
    fileprivate struct CSVFileWriter: ~Copyable {
        /// A deliberate defect of the next row.
        enum Defect {
            /// Only the first `fieldCount` fields.
            case truncated(fieldCount: Int)
            /// `raw`, written verbatim (no quoting), instead of field `column`.
            case replaced(column: Int, raw: String)
            /// `raw`, written verbatim, as an extra last field.
            case extraField(raw: String)
        }

        private let path: String
        private let temporaryPath: String
        private var file: UnsafeMutablePointer<FILE>?
        private var buffer: [UInt8] = []
        private var column = 0
        private var defect: Defect?
        /// Removes the temporary file should the run be interrupted (see `Interruption`).
        private let interruptionToken: Int
        private static let flushSize = 1 << 20
        private static let utcOffset = Array("+08:00".utf8)

        init(path: String, header: [String]) throws(TeamPulseError) {
            self.path = path
            let temporaryPath = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
            self.temporaryPath = temporaryPath
            interruptionToken = Interruption.shared.register { _ = unlink(temporaryPath) }
            guard let file = fopen(temporaryPath, "wb") else {
                let error = Self.failure(path)
                Interruption.shared.done(interruptionToken)
                throw error
            }
            self.file = file
            buffer.reserveCapacity(Self.flushSize + 64 * 1024)
            for name in header { text(csvField(name)) }
            endLine()
        }

        deinit {
            if let file {
                fclose(file)
                unlink(temporaryPath)
            }
            Interruption.shared.done(interruptionToken)
        }

        /// The error of the last failed system call, for `path`.
        private static func failure(_ path: String) -> TeamPulseError {
            let reason = SystemReason.text(errno: errno)  // before anything else can change errno
            return .fileSystem(SourceLocation(path: displayPath(path)), "cannot write the file", reason: reason)
        }

        /// Makes the next row defective.
        mutating func damageNextRow(_ defect: Defect) { self.defect = defect }

        /// Starts a field: writes the separator and tells whether to write the value (false when the
        /// row's defect drops or replaces it).
        @inline(__always)
        private mutating func beginField() -> Bool {
            defer { column += 1 }
            if let defect {
                switch defect {
                case .truncated(let fieldCount) where column >= fieldCount:
                    return false
                case .replaced(let replaced, let raw) where replaced == column:
                    if column > 0 { buffer.append(Byte.comma) }
                    buffer.append(contentsOf: raw.utf8)
                    return false
                default:
                    break
                }
            }
            if column > 0 { buffer.append(Byte.comma) }
            return true
        }

        /// An already encoded field (see `csvField`).
        mutating func text(_ field: [UInt8]) {
            guard beginField() else { return }
            buffer.append(contentsOf: field)
        }

        mutating func text(_ field: [UInt8]?) {
            guard beginField(), let field else { return }
            buffer.append(contentsOf: field)
        }

        /// `prefix` then `number` zero-padded to `width` digits; empty when `number` is nil.
        mutating func number(_ number: Int?, prefix: [UInt8] = [], width: Int = 1) {
            guard beginField(), let number else { return }
            buffer.append(contentsOf: prefix)
            appendDigits(number, width: width)
        }

        /// `numbers`, each as by `number(_:prefix:width:)`, separated by `;`.
        mutating func numbers(_ numbers: [Int], prefix: [UInt8], width: Int) {
            guard beginField() else { return }
            for (index, number) in numbers.enumerated() {
                if index > 0 { buffer.append(Byte.semicolon) }
                buffer.append(contentsOf: prefix)
                appendDigits(number, width: width)
            }
        }

        /// `items` separated by `;` (items must need no quoting).
        mutating func list(_ items: [[UInt8]]) {
            guard beginField() else { return }
            for (index, item) in items.enumerated() {
                if index > 0 { buffer.append(Byte.semicolon) }
                buffer.append(contentsOf: item)
            }
        }

        /// A non-negative amount in cents as a decimal with two places.
        mutating func amount(cents: Int) {
            guard beginField() else { return }
            appendDigits(cents / 100, width: 1)
            buffer.append(Byte.dot)
            appendTwoDigits(cents % 100)
        }

        /// A date `YYYY-MM-DD` of a day number; empty when nil.
        mutating func date(_ day: Int64?) {
            guard beginField(), let day else { return }
            appendDate(day)
        }

        /// A local time; empty when nil.
        mutating func timestamp(_ time: Int64?, _ style: TimestampStyle) {
            guard beginField(), let time else { return }
            let day = time >= 0 ? time / SampleGenerator.day : (time + 1) / SampleGenerator.day - 1
            let second = Int(time - day * SampleGenerator.day)
            appendDate(day)
            buffer.append(style == .iso8601 ? Byte.timeSeparator : Byte.space)
            appendTwoDigits(second / 3600)
            buffer.append(Byte.colon)
            appendTwoDigits(second / 60 % 60)
            if style == .minutes { return }
            buffer.append(Byte.colon)
            appendTwoDigits(second % 60)
            if style == .iso8601 { buffer.append(contentsOf: Self.utcOffset) }
        }

        /// Ends the row, flushing the buffer when it is full.
        mutating func endRow() throws(TeamPulseError) {
            if case .extraField(let raw) = defect {
                buffer.append(Byte.comma)
                buffer.append(contentsOf: raw.utf8)
            }
            endLine()
            if buffer.count >= Self.flushSize { try flush() }
        }

        private mutating func endLine() {
            buffer.append(Byte.lineFeed)
            column = 0
            defect = nil
        }

        /// Writes what is left, closes the file and renames it into place.
        mutating func finish() throws(TeamPulseError) {
            try flush()
            guard let file else { return }
            self.file = nil
            guard fclose(file) == 0 else {
                let error = Self.failure(path)
                unlink(temporaryPath)
                throw error
            }
            guard rename(temporaryPath, path) == 0 else {
                let error = Self.failure(path)
                unlink(temporaryPath)
                throw error
            }
        }

        private mutating func flush() throws(TeamPulseError) {
            guard let file, !buffer.isEmpty else { return }
            let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            guard written == buffer.count else { throw Self.failure(path) }
            buffer.removeAll(keepingCapacity: true)
        }

        private mutating func appendDate(_ day: Int64) {
            let (year, month, dayOfMonth) = LocalDate(dayNumber: day).civil
            appendDigits(Int(year), width: 4)
            buffer.append(Byte.dash)
            appendTwoDigits(Int(month))
            buffer.append(Byte.dash)
            appendTwoDigits(Int(dayOfMonth))
        }

        @inline(__always)
        private mutating func appendTwoDigits(_ value: Int) {
            buffer.append(Byte.zero &+ UInt8(truncatingIfNeeded: value / 10))
            buffer.append(Byte.zero &+ UInt8(truncatingIfNeeded: value % 10))
        }

        /// A non-negative integer, zero-padded to at least `width` digits.
        private mutating func appendDigits(_ value: Int, width: Int) {
            var digits = 1
            var rest = value / 10
            while rest > 0 {
                digits += 1
                rest /= 10
            }
            let count = max(digits, width)
            buffer.append(contentsOf: repeatElement(Byte.zero, count: count))
            var index = buffer.count - 1
            rest = value
            while rest > 0 {
                buffer[index] = Byte.zero &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                index -= 1
            }
        }
    }
}

// MARK: - orders.csv

extension SampleGenerator {
    fileprivate enum OrderState: Int {
        case created, paid, shipped, delivered, cancelled, refunded

        static let fields: [[UInt8]] = ["created", "paid", "shipped", "delivered", "cancelled", "refunded"]
            .map(csvField)
        var field: [UInt8] { Self.fields[rawValue] }
    }

    fileprivate struct OrderRecord {
        var number: Int
        var store: Int
        /// Index into `OrderFile.teamOverrides`; nil for the store's team.
        var team: Int?
        var createdAt: Int64
        var paidAt: Int64?
        var shippedAt: Int64?
        var deliveredAt: Int64?
        var state = OrderState.created
        var cents: Int
        var warehouse: Int
        var carrier: [UInt8]?
        var shipByDay: Int64?
    }

    /// `orders.csv`: a Chinese shop-system export, one row per order.
    fileprivate struct OrderFile {
        let window: Window
        let count: Int
        var random: SplitMix64

        static let header = [
            "订单编号", "店铺名称", "负责团队", "下单时间", "付款时间", "发货时间", "签收时间", "订单状态", "实付金额", "币种",
            "发货仓", "快递公司", "承诺发货时间",
        ]
        static let idPrefix = Array("TB".utf8)
        static let idWidth = 12
        static let currency = csvField("CNY")
        /// Stores; 拼多多专营店 is not in the seeds, so its orders fall back to the warehouse's team.
        static let stores = Choices([
            ("天猫旗舰店", 34), ("京东自营店", 24), ("抖音小店", 22), ("Shopify Global", 15), ("拼多多专营店", 5),
        ])
        /// Carriers per store, in the order of `stores`.
        static let carriers = [
            Choices([("顺丰速运", 3), ("中通快递", 4), ("圆通速递", 3)]),
            Choices([("京东物流", 9), ("顺丰速运", 1)]),
            Choices([("中通快递", 4), ("圆通速递", 4), ("顺丰速运", 2)]),
            Choices([("DHL", 7), ("顺丰速运", 3)]),
            Choices([("中通快递", 5), ("圆通速递", 5)]),
        ]
        /// Explicit teams of a few orders: ids and Chinese names, as operators type them.
        static let teamOverrides = Choices([("ops-campaign", 4), ("活动运营组", 3), ("ops-user", 1), ("商品运营组", 2)])
        static let warehouses = Choices([("上海仓", 5), ("广州仓", 3), ("成都仓", 2)])

        /// Orders per hour: busy evenings, quiet nights.
        static let dailyProfile = Weighted([
            30, 18, 9, 5, 4, 4, 6, 12, 22, 35, 45, 50, 52, 48, 46, 48, 50, 52, 58, 70, 85, 95, 90, 60,
        ])
        /// Orders per hour on the promotion day: a rush at midnight, and another in the evening.
        static let promotionProfile = Weighted([
            200, 120, 40, 10, 6, 6, 10, 20, 40, 60, 70, 70, 65, 60, 60, 60, 65, 70, 80, 100, 130, 160, 180, 150,
        ])

        /// Amount paid in yuan: mostly small baskets, a long tail up to 3000.
        static let amount = Quantiles([
            (0, 9.9), (0.25, 39), (0.5, 89), (0.75, 199), (0.9, 459), (0.97, 1299), (1, 3000),
        ])
        /// Payment delay in seconds.
        static let paymentDelay = Quantiles([(0, 5), (0.5, 90), (0.8, 420), (0.95, 1200), (1, 1800)])
        /// Shipping delay in hours after payment (median 18 h).
        static let shippingDelay = Quantiles([(0, 2), (0.2, 8), (0.5, 18), (0.8, 30), (0.95, 48), (1, 60)])
        /// Shipping delay in hours for promotion-day orders: warehouses are swamped.
        static let promotionShippingDelay = Quantiles([(0, 4), (0.2, 16), (0.5, 34), (0.8, 48), (0.95, 56), (1, 60)])
        /// Delivery delay in hours after shipping.
        static let deliveryDelay = Quantiles([(0, 12), (0.3, 28), (0.5, 40), (0.8, 66), (0.95, 96), (1, 120)])

        /// Writes the file; returns what tickets need to know about the orders.
        mutating func write(to path: String, badRows: Bool) throws(TeamPulseError) -> OrderHistory {
            var writer = try CSVFileWriter(path: path, header: Self.header)
            let dayWeights = makeDayWeights()
            let schedule = Schedule(window: window, counts: apportion(count, weights: dayWeights), step: 1)
            var history = OrderHistory(window: window, dayWeights: dayWeights)
            let middleNumber = (count + 1) / 2
            var middle: OrderRecord?
            var number = 0
            for day in 0..<window.dayCount {
                let promotion = day == window.promotionIndex
                let profile = promotion ? Self.promotionProfile : Self.dailyProfile
                for createdAt in schedule.times(onDay: day, profile: profile, &random) {
                    number += 1
                    let order = makeOrder(number: number, createdAt: createdAt, promotion: promotion)
                    if number == middleNumber { middle = order }
                    history.record(createdAt)
                    write(order, to: &writer)
                    try writer.endRow()
                }
            }
            history.seal()
            if badRows { try writeBadRows(after: number, duplicating: middle, to: &writer) }
            try writer.finish()
            return history
        }

        /// Relative order volume of each day: ±12 % noise, busier weekends, five times more on the promotion day.
        private mutating func makeDayWeights() -> [Int] {
            (0..<window.dayCount).map { day in
                var weight = 88 + random.below(25)
                if window.weekday(ofDay: day) >= 5 { weight += 10 }
                return day == window.promotionIndex ? weight * 5 : weight
            }
        }

        private mutating func makeOrder(number: Int, createdAt: Int64, promotion: Bool) -> OrderRecord {
            let store = Self.stores.pickIndex(&random)
            var order = OrderRecord(
                number: number, store: store,
                team: random.chance(0.05) ? Self.teamOverrides.pickIndex(&random) : nil,
                createdAt: createdAt, cents: makeCents(), warehouse: Self.warehouses.pickIndex(&random))
            if random.chance(0.3) {
                order.shipByDay = createdAt / SampleGenerator.day + 1 + Int64(random.below(2))
            }
            if random.chance(0.92) {
                order.paidAt = window.observed(createdAt + Self.paymentDelay.seconds(&random, unit: 1))
            }
            guard let paidAt = order.paidAt else {
                order.state = random.chance(0.35) ? .cancelled : .created
                return order
            }
            order.state = .paid
            if random.chance(0.93) {
                let delay = promotion ? Self.promotionShippingDelay : Self.shippingDelay
                order.shippedAt = window.observed(paidAt + delay.seconds(&random, unit: SampleGenerator.hour))
            }
            if let shippedAt = order.shippedAt {
                order.state = .shipped
                order.carrier = Self.carriers[store].pick(&random)
                if random.chance(0.92) {
                    order.deliveredAt = window.observed(
                        shippedAt + Self.deliveryDelay.seconds(&random, unit: SampleGenerator.hour))
                    if order.deliveredAt != nil { order.state = .delivered }
                }
            } else if random.chance(0.06) {
                order.state = .cancelled
                return order
            }
            if random.chance(0.04) { order.state = .refunded }
            return order
        }

        /// A price in cents with a shop-like ending: mostly `.00`, often `.90`, sometimes `.50` or any.
        private mutating func makeCents() -> Int {
            let cents = Int(Self.amount.sample(&random) * 100)
            let ending: Int
            switch random.below(20) {
            case 0..<11: ending = 0
            case 11..<16: ending = 90
            case 16..<18: ending = 50
            default: ending = cents % 100
            }
            return max(cents / 100 * 100 + ending, 990)
        }

        private func write(_ order: OrderRecord, to writer: inout CSVFileWriter) {
            writer.number(order.number, prefix: Self.idPrefix, width: Self.idWidth)
            writer.text(Self.stores.fields[order.store])
            writer.text(order.team.map { Self.teamOverrides.fields[$0] })
            writer.timestamp(order.createdAt, .seconds)
            writer.timestamp(order.paidAt, .seconds)
            writer.timestamp(order.shippedAt, .seconds)
            writer.timestamp(order.deliveredAt, .seconds)
            writer.text(order.state.field)
            writer.amount(cents: order.cents)
            writer.text(Self.currency)
            writer.text(Self.warehouses.fields[order.warehouse])
            writer.text(order.carrier)
            writer.date(order.shipByDay)
        }

        /// Too few fields, one field too many, a bad timestamp, a non-numeric amount, then a duplicate id
        /// (of the middle order, with another amount; skipped when there are no orders).
        private mutating func writeBadRows(
            after lastNumber: Int, duplicating middle: OrderRecord?, to writer: inout CSVFileWriter
        ) throws(TeamPulseError) {
            let defects: [CSVFileWriter.Defect] = [
                .truncated(fieldCount: 5),
                .extraField(raw: "extra"),
                .replaced(column: column(.orders, "created_at"), raw: "2026-13-45 25:00:00"),
                .replaced(column: column(.orders, "amount"), raw: "\"12,5元\""),
            ]
            let lastDay = window.start(ofDay: window.dayCount - 1)
            for (offset, defect) in defects.enumerated() {
                let createdAt = lastDay + 10 * SampleGenerator.hour + Int64(offset) * 7 * SampleGenerator.minute
                let order = makeOrder(number: lastNumber + offset + 1, createdAt: createdAt, promotion: false)
                writer.damageNextRow(defect)
                write(order, to: &writer)
                try writer.endRow()
            }
            if var duplicate = middle {
                duplicate.cents += 1000
                write(duplicate, to: &writer)
                try writer.endRow()
            }
        }
    }
}

// MARK: - tickets.csv

extension SampleGenerator {
    fileprivate enum TicketCategory: Int, CaseIterable {
        case logistics, returns, product, invoice, complaint, other

        static let weights = Weighted([30, 22, 25, 8, 8, 7])
        static let fields: [[UInt8]] = ["物流查询", "退换货", "商品咨询", "发票", "投诉", "other"].map(csvField)
        var field: [UInt8] { Self.fields[rawValue] }

        static func pick(_ random: inout SplitMix64) -> TicketCategory {
            TicketCategory(rawValue: weights.pick(&random))!
        }

        /// The service team handling the category.
        func team(_ random: inout SplitMix64) -> Team {
            switch self {
            case .product, .invoice: .csPresales
            case .logistics, .returns, .complaint: .csAftersales
            case .other: random.chance(0.5) ? .csPresales : .csAftersales
            }
        }

        /// Teams that tickets of the category are escalated to.
        var escalations: [Team] {
            switch self {
            case .logistics: [.logisticsDelivery, .logisticsWarehouse]
            case .returns: [.logisticsWarehouse, .opsProduct]
            case .product, .invoice: [.opsProduct]
            case .complaint: [.opsProduct, .logisticsDelivery, .techPlatform]
            case .other: [.techPlatform]
            }
        }

        /// Plain subjects of the category (no comma, quote or line break).
        var subjects: [[UInt8]] { Self.subjectFields[rawValue] }

        private static let subjectFields: [[[UInt8]]] = [
            ["快递一直没到", "物流三天没更新了", "Where is my parcel?", "查询物流进度", "显示已签收但没收到"],
            ["申请退货", "尺码不合适想换货", "Return request", "退款什么时候到账", "收到的商品有破损"],
            ["这款有现货吗", "Size guide question", "请问支持七天无理由吗", "和上一代有什么区别", "能否加急发货"],
            ["开具增值税专用发票", "Invoice request", "发票抬头写错了", "电子发票没收到"],
            ["客服态度差", "Complaint about late delivery", "商品与描述不符", "多次联系无人处理"],
            ["修改收货地址", "Account login issue", "优惠券无法使用", "会员积分问题"],
        ].map { $0.map(csvField) }
    }

    fileprivate enum TicketState: Int {
        case open, pending, solved

        static let fields: [[UInt8]] = ["open", "pending", "solved"].map(csvField)
        var field: [UInt8] { Self.fields[rawValue] }
    }

    fileprivate enum OrderLink {
        case unlinked
        /// An order of the order file, by number.
        case existing(Int)
        /// An id no order has: `TB999` and nine digits.
        case unknown(Int)
    }

    fileprivate struct TicketRecord {
        /// Nil for an empty id (a bad row).
        var number: Int?
        var order = OrderLink.unlinked
        var team: Team?
        var agent: [UInt8]?
        var channel: Int
        var category: TicketCategory
        var priority: Int
        var createdAt: Int64
        var firstResponseAt: Int64?
        var resolvedAt: Int64?
        var state = TicketState.open
        var reopens = 0
        var escalatedTo: Team?
        var csat: Int?
        var subject: [UInt8]
    }

    /// `tickets.csv`: a help-desk export with canonical headers.
    fileprivate struct TicketFile {
        let window: Window
        let count: Int
        let orders: OrderHistory
        let roster: Roster
        var random: SplitMix64

        static let header = CanonicalSchema.columns(of: .tickets) + ["subject"]
        static let idPrefix = Array("ZD".utf8)
        static let idWidth = 8
        static let unknownOrderPrefix = Array("TB999".utf8)
        /// An agent the seeds do not know; such tickets have no team either.
        static let temporaryAgent = csvField("临时工-小周")
        static let channels = Choices([("旺旺", 35), ("电话", 15), ("邮件", 10), ("web", 15), ("app", 25)])
        static let priorities = Choices([("low", 20), ("normal", 55), ("high", 18), ("urgent", 7)])
        static let complaintPriorities = Choices([("low", 5), ("normal", 35), ("high", 35), ("urgent", 25)])
        /// Satisfaction scores 1 to 5, mostly 5.
        static let csat = Weighted([6, 6, 12, 26, 50])

        /// Subjects with a comma, a double quote, a line break.
        static let subjectsWithComma = [
            "快递一直没到, 请帮忙查一下", "Hi, where is my order?", "尺码偏小, 想换大一号", "已退货, 但还没收到退款",
            "发票抬头: 上海某某有限公司, 税号稍后提供",
        ].map(csvField)
        static let subjectsWithQuote = [
            "Refund \"urgent\" please", "商品标题写着\"包邮\"却收了运费", "显示\"已签收\"但没收到",
            "The \"gift box\" option was missing",
        ].map(csvField)
        static let subjectsWithLineBreak = [
            "第一行\n第二行", "订单号见截图\n请尽快处理", "Hello\nthe parcel arrived damaged\nPlease advise",
            "地址更新为:\n广州市天河区",
        ].map(csvField)

        /// Tickets per hour: office hours, some in the evening.
        static let dailyProfile = Weighted([
            8, 5, 3, 2, 2, 2, 3, 6, 20, 45, 55, 55, 45, 50, 55, 55, 50, 45, 40, 40, 38, 32, 22, 12,
        ])
        /// How long before the ticket its order was placed, in hours.
        static let orderAge = Quantiles([(0, 1), (0.5, 30), (0.8, 96), (0.95, 240), (1, 600)])
        /// First response in minutes.
        static let firstResponse = Quantiles([(0, 1), (0.5, 10), (0.8, 35), (0.95, 110), (1, 240)])
        /// Resolution in hours after creation.
        static let resolution = Quantiles([(0, 0.5), (0.3, 4), (0.5, 10), (0.8, 30), (0.95, 72), (1, 120)])

        mutating func write(to path: String, badRows: Bool) throws(TeamPulseError) {
            var writer = try CSVFileWriter(path: path, header: Self.header)
            let schedule = Schedule(window: window, counts: apportion(count, weights: dayWeights()), step: 1)
            var number = 0
            for day in 0..<window.dayCount {
                for createdAt in schedule.times(onDay: day, profile: Self.dailyProfile, &random) {
                    number += 1
                    write(makeTicket(number: number, createdAt: createdAt), to: &writer)
                    try writer.endRow()
                }
            }
            if badRows { try writeBadRows(after: number, to: &writer) }
            try writer.finish()
        }

        /// Ticket volume follows the orders of the same and the two previous days, so the promotion
        /// peak reaches the help desk over the following days.
        private func dayWeights() -> [Int] {
            let orderWeights = orders.dayWeights
            let typical = 100
            return (0..<window.dayCount).map { day in
                let weight = { (index: Int) in index >= 0 ? orderWeights[index] : typical }
                return 2 * weight(day) + 2 * weight(day - 1) + weight(day - 2)
            }
        }

        private mutating func makeTicket(number: Int?, createdAt: Int64) -> TicketRecord {
            let category = TicketCategory.pick(&random)
            let priorities = category == .complaint ? Self.complaintPriorities : Self.priorities
            var ticket = TicketRecord(
                number: number, channel: Self.channels.pickIndex(&random), category: category,
                priority: priorities.pickIndex(&random), createdAt: createdAt, subject: makeSubject(category))

            let link = random.unit()
            if link < 0.85 {
                let lag = Self.orderAge.seconds(&random, unit: SampleGenerator.hour)
                ticket.order = orders.order(before: createdAt, lag: lag, &random).map(OrderLink.existing) ?? .unlinked
            } else if link < 0.88 {
                ticket.order = .unknown(random.below(1_000_000_000))
            }

            // The team column is left empty now and then: the agent's team applies.
            let team = category.team(&random)
            if random.chance(0.01) {
                ticket.agent = Self.temporaryAgent
            } else {
                ticket.agent = random.chance(0.05) ? nil : roster.memberField(team, roster.pickMember(team, &random))
                ticket.team = ticket.agent != nil && random.chance(0.15) ? nil : team
            }

            if random.chance(0.97) {
                let delay = Self.firstResponse.seconds(&random, unit: SampleGenerator.minute)
                ticket.firstResponseAt = window.observed(createdAt + delay)
            }
            if random.chance(0.83) {
                var resolvedAt = createdAt + Self.resolution.seconds(&random, unit: SampleGenerator.hour)
                if let firstResponseAt = ticket.firstResponseAt, resolvedAt < firstResponseAt {
                    resolvedAt = firstResponseAt + Int64(random.below(1800))
                }
                ticket.resolvedAt = window.observed(resolvedAt)
            }
            if ticket.resolvedAt != nil {
                ticket.state = .solved
                if random.chance(0.6) { ticket.csat = Self.csat.pick(&random) + 1 }
            } else if ticket.firstResponseAt != nil, random.chance(0.35) {
                ticket.state = .pending
            }

            let reopen = random.unit()
            ticket.reopens = reopen < 0.02 ? 2 : reopen < 0.10 ? 1 : 0
            if random.chance(0.10) { ticket.escalatedTo = random.element(of: category.escalations) }
            return ticket
        }

        /// A subject: about 10 % with a comma, 3 % with a double quote, 3 % over two or more lines.
        private mutating func makeSubject(_ category: TicketCategory) -> [UInt8] {
            switch random.below(100) {
            case 0..<3: random.element(of: Self.subjectsWithLineBreak)
            case 3..<6: random.element(of: Self.subjectsWithQuote)
            case 6..<16: random.element(of: Self.subjectsWithComma)
            default: random.element(of: category.subjects)
            }
        }

        private func write(_ ticket: TicketRecord, to writer: inout CSVFileWriter) {
            writer.number(ticket.number, prefix: Self.idPrefix, width: Self.idWidth)
            switch ticket.order {
            case .unlinked: writer.text(nil)
            case .existing(let number): writer.number(number, prefix: OrderFile.idPrefix, width: OrderFile.idWidth)
            case .unknown(let digits): writer.number(digits, prefix: Self.unknownOrderPrefix, width: 9)
            }
            writer.text(ticket.team.map(roster.idField))
            writer.text(ticket.agent)
            writer.text(Self.channels.fields[ticket.channel])
            writer.text(ticket.category.field)
            writer.text(Self.priorities.fields[ticket.priority])  // same names as `complaintPriorities`
            writer.timestamp(ticket.createdAt, .iso8601)
            writer.timestamp(ticket.firstResponseAt, .iso8601)
            writer.timestamp(ticket.resolvedAt, .iso8601)
            writer.text(ticket.state.field)
            writer.number(ticket.reopens)
            writer.text(ticket.escalatedTo.map(roster.idField))
            writer.number(ticket.csat)
            writer.text(ticket.subject)
        }

        /// An empty id, a csat of 7, a broken quote (on one line), then one more good ticket so that
        /// the file ends with a complete, valid record.
        private mutating func writeBadRows(
            after lastNumber: Int, to writer: inout CSVFileWriter
        ) throws(TeamPulseError) {
            let morning = window.start(ofDay: window.dayCount - 1) + 9 * SampleGenerator.hour

            write(makeTicket(number: nil, createdAt: morning), to: &writer)
            try writer.endRow()

            var unhappy = makeTicket(number: lastNumber + 1, createdAt: morning + 11 * SampleGenerator.minute)
            unhappy.resolvedAt = unhappy.resolvedAt ?? unhappy.createdAt + SampleGenerator.hour
            unhappy.state = .solved
            unhappy.csat = 7
            write(unhappy, to: &writer)
            try writer.endRow()

            writer.damageNextRow(.replaced(column: column(.tickets, "category"), raw: "\"bad \"quote\" here"))
            write(makeTicket(number: lastNumber + 2, createdAt: morning + 23 * SampleGenerator.minute), to: &writer)
            try writer.endRow()

            write(makeTicket(number: lastNumber + 3, createdAt: morning + 37 * SampleGenerator.minute), to: &writer)
            try writer.endRow()
        }
    }
}

// MARK: - tasks.csv

extension SampleGenerator {
    fileprivate enum TaskState: Int {
        case todo, inProgress, done

        static let fields: [[UInt8]] = ["todo", "in_progress", "done"].map(csvField)
        var field: [UInt8] { Self.fields[rawValue] }
    }

    fileprivate struct TaskRecord {
        var number: Int
        var title: [UInt8]
        var team: Team
        var assignee: [UInt8]?
        var requester: Team?
        var createdAt: Int64
        var startedAt: Int64?
        var dueDay: Int64?
        var completedAt: Int64?
        var state = TaskState.todo
        var priority: Int
        var dependsOn: [Int] = []
        var collaborators: [[UInt8]] = []
    }

    /// `tasks.csv`: a project-tool export with canonical headers and minute timestamps.
    fileprivate struct TaskFile {
        let window: Window
        let count: Int
        let roster: Roster
        var random: SplitMix64

        static let header = CanonicalSchema.columns(of: .tasks)
        static let idPrefix = Array("TASK-".utf8)
        static let idWidth = 5
        /// Teams by share of the tasks (in `Team` order); management rarely owns one.
        static let teams = Weighted([10, 10, 6, 8, 3, 5, 20, 10, 6, 5, 15, 2])
        static let priorities = Choices([("low", 25), ("normal", 50), ("high", 20), ("urgent", 5)])
        static let verbs = ["优化", "修复", "上线", "梳理", "设计", "排查", "Review", "Update"]
        static let commaSuffixes = ["含移动端适配", "需法务确认", "see spec v2", "本周内完成"]
        static let secondLines = ["详见需求文档", "Acceptance: 数据核对无误", "上线前需回归测试"]

        /// Tasks per hour of a working day.
        static let dailyProfile = Weighted([
            0, 0, 0, 0, 0, 0, 0, 1, 4, 12, 14, 12, 4, 8, 12, 12, 10, 8, 4, 2, 1, 1, 0, 0,
        ])
        /// Wait before work starts, in hours.
        static let startDelay = Quantiles([(0, 0), (0.4, 2), (0.7, 12), (0.9, 40), (1, 72)])
        /// Work duration, in days.
        static let workDuration = Quantiles([(0, 0.5), (0.5, 3), (0.8, 6), (0.95, 11), (1, 15)])

        mutating func write(to path: String, badRows: Bool) throws(TeamPulseError) {
            var writer = try CSVFileWriter(path: path, header: Self.header)
            let weights = (0..<window.dayCount).map { window.weekday(ofDay: $0) >= 5 ? 15 : 100 }
            let schedule = Schedule(
                window: window, counts: apportion(count, weights: weights), step: SampleGenerator.minute)
            var number = 0
            for day in 0..<window.dayCount {
                for createdAt in schedule.times(onDay: day, profile: Self.dailyProfile, &random) {
                    number += 1
                    write(makeTask(number: number, createdAt: createdAt), to: &writer)
                    try writer.endRow()
                }
            }
            if badRows { try writeBadRows(after: number, to: &writer) }
            try writer.finish()
        }

        private mutating func makeTask(number: Int, createdAt: Int64) -> TaskRecord {
            let team = Team(rawValue: Self.teams.pick(&random))!
            var task = TaskRecord(
                number: number, title: makeTitle(team), team: team, createdAt: createdAt,
                priority: Self.priorities.pickIndex(&random))
            let assignee = random.chance(0.07) ? nil : roster.pickMember(team, &random)
            task.assignee = assignee.map { roster.memberField(team, $0) }
            if random.chance(0.4), !team.requesters.isEmpty {
                task.requester = random.element(of: team.requesters)
            } else if random.chance(0.5) {
                task.requester = team
            }

            if random.chance(0.75) {
                task.dueDay = createdAt / SampleGenerator.day + 2 + Int64(random.below(13))
            }
            if random.chance(0.85) {
                task.startedAt = window.observed(
                    Self.toMinute(createdAt + Self.startDelay.seconds(&random, unit: SampleGenerator.hour)))
            }
            if let startedAt = task.startedAt {
                task.state = .inProgress
                if random.chance(0.8) {
                    let duration = Self.workDuration.seconds(&random, unit: SampleGenerator.day)
                    task.completedAt = window.observed(Self.toMinute(startedAt + duration))
                    if task.completedAt != nil { task.state = .done }
                }
            }

            if number > 1, random.chance(0.10) {
                let earliest = max(1, number - 40)
                task.dependsOn = distinct(1 + random.below(2)) { $0.below(number - earliest) + earliest }.sorted()
            }
            if random.chance(0.30) {
                let own = assignee.map { roster.memberField(team, $0) }
                let everyone = roster.allMemberFields
                task.collaborators = distinct(1 + random.below(3)) { $0.element(of: everyone) }
                    .filter { $0 != own }
            }
            return task
        }

        /// Up to `count` distinct values of `draw` (fewer when draws keep repeating).
        private mutating func distinct<Value: Equatable>(
            _ count: Int, _ draw: (inout SplitMix64) -> Value
        ) -> [Value] {
            var values: [Value] = []
            for _ in 0..<(count * 4) where values.count < count {
                let value = draw(&random)
                if !values.contains(value) { values.append(value) }
            }
            return values
        }

        /// A title such as `优化商品详情页` or `Review 双11会场`; about 8 % with a comma, 3 % over two lines.
        private mutating func makeTitle(_ team: Team) -> [UInt8] {
            let verb = random.element(of: Self.verbs)
            let item = random.element(of: team.workItems)
            // A space where Chinese meets Latin, as people usually type it.
            let isLatin = { (byte: UInt8?) in byte.map { $0 < 0x80 } ?? false }
            let spaced = isLatin(verb.utf8.last) || isLatin(item.utf8.first)
            var title = spaced ? verb + " " + item : verb + item
            switch random.below(100) {
            case 0..<3: title += "\n" + random.element(of: Self.secondLines)
            case 3..<11: title += ", " + random.element(of: Self.commaSuffixes)
            default: break
            }
            return csvField(title)
        }

        private static func toMinute(_ time: Int64) -> Int64 { time - time % SampleGenerator.minute }

        private func write(_ task: TaskRecord, to writer: inout CSVFileWriter) {
            writer.number(task.number, prefix: Self.idPrefix, width: Self.idWidth)
            writer.text(task.title)
            writer.text(roster.idField(task.team))
            writer.text(task.assignee)
            writer.text(task.requester.map(roster.idField))
            writer.timestamp(task.createdAt, .minutes)
            writer.timestamp(task.startedAt, .minutes)
            writer.date(task.dueDay)
            writer.timestamp(task.completedAt, .minutes)
            writer.text(task.state.field)
            writer.text(Self.priorities.fields[task.priority])
            writer.numbers(task.dependsOn, prefix: Self.idPrefix, width: Self.idWidth)
            writer.list(task.collaborators)
        }

        /// A created_at of `yesterday`, then a completed_at on 30 February.
        private mutating func writeBadRows(
            after lastNumber: Int, to writer: inout CSVFileWriter
        ) throws(TeamPulseError) {
            let morning = window.start(ofDay: window.dayCount - 1) + 10 * SampleGenerator.hour

            writer.damageNextRow(.replaced(column: column(.tasks, "created_at"), raw: "yesterday"))
            write(makeTask(number: lastNumber + 1, createdAt: morning), to: &writer)
            try writer.endRow()

            var finished = makeTask(number: lastNumber + 2, createdAt: morning - 3 * SampleGenerator.day)
            finished.startedAt = finished.startedAt ?? finished.createdAt + SampleGenerator.hour
            finished.state = .done
            writer.damageNextRow(.replaced(column: column(.tasks, "completed_at"), raw: "2026/02/30 10:00"))
            write(finished, to: &writer)
            try writer.endRow()
        }
    }
}
