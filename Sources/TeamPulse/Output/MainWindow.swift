extension WindowSpec {
    /// The window a report or workbook shows when it shows one: `7d` when the pipeline has it, else its
    /// longest window (the report's movers, the workbook's charts; docs/schema.md).
    public static func main(of windows: [WindowSpec]) -> WindowSpec? {
        windows.contains(WindowSpec(days: 7)) ? WindowSpec(days: 7) : windows.max { $0.days < $1.days }
    }

    /// The pipeline's longest window (the workload and collaboration views, the chart volume).
    public static func longest(of windows: [WindowSpec]) -> WindowSpec? { windows.max { $0.days < $1.days } }
}
