import Foundation

/// `manifest.json`: what a run read, what it wrote, how long each stage took, and the pipeline as
/// resolved.
struct Manifest {
    var config: PipelineConfig
    var options: RunOptions
    var asOf: LocalDate
    var data: IngestedData
    var teams: [Team]
    var metrics: MetricsResult
    var targets: [TargetResult]
    var dataTests: [DataTestResult]
    var tables: [(name: String, table: CSVTable)]
    /// Files written beside the tables other than the manifest (`summary.xlsx`…).
    var otherOutputs: [String] = []
    /// Duplicate pairs found (`duplicates.csv` holds at most `duplicate_work.max_pairs` of them).
    var duplicatePairsFound = 0
    var timings: [(String, Double)]
    /// A partitioned run's merge: the plan and its partitions (`plan`, `partitions`).
    var partitioned: PartitionedRunFacts?

    func render() throws(TeamPulseError) -> String {
        // Input counts as their Codable form (snake_case keys), so the manifest and the type never drift.
        var inputs: [String: Any] = [:]
        do {
            for (kind, stats) in data.stats {
                inputs[kind.rawValue] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(stats))
            }
        } catch {
            throw .output(SourceLocation(path: "manifest.json"), "cannot encode the run facts as JSON")
        }
        var document: [String: Any] = [
            "teampulse_version": TeamPulseVersion.string,
            "pipeline": [
                "path": displayPath(config.path), "version": config.version, "name": config.name,
                "timezone": config.timeZoneIdentifier, "seeds": displayPath(config.seedsDirectory),
                "output": displayPath(config.outputDirectory), "history": displayPath(config.historyPath), "windows": config.windows.map(\.description),
                "ship_sla_h": config.shipSLAHours, "csv": ["bom": config.csvBOM, "precision": config.csvPrecision.rawValue] as [String: Any],
                "report": ["lang": config.reportLanguage.rawValue, "currency": config.reportCurrency], "xlsx": config.xlsx,
                // The analytics settings; the anonymize_salt is a secret and is never written.
                "forecast": [
                    "weeks": config.analytics.forecastWeeks, "trials": config.analytics.forecastTrials,
                    "seed": config.analytics.forecastSeed,
                ],
                "min_group_size": config.analytics.minGroupSize,
                "duplicate_work": [
                    "max_gap_days": config.analytics.duplicateMaxGapDays,
                    "min_similarity": config.analytics.duplicateMinSimilarity,
                    "max_pairs": config.analytics.duplicateMaxPairs,
                ],
                "silos": ["min_edge_count": config.analytics.siloMinEdgeCount],
                "inputs": Dictionary(uniqueKeysWithValues: config.inputs.map { spec in
                    (spec.kind.rawValue, [
                        "path": spec.displayPath, "columns": spec.columns, "duplicates": spec.duplicates.rawValue,
                        "max_reject_rate": spec.maxRejectRate, "max_age_hours": spec.maxAgeHours as Any,
                        "max_lag_days": spec.maxLagDays, "min_records": spec.minRecords, "on_stale": spec.staleIsError ? "error" : "warn",
                        "preset": spec.preset as Any, "formats": spec.formats, "decimal": spec.decimalComma ? "," : ".",
                        "values": spec.values, "null_values": spec.nullTokens,
                        "encoding": spec.format.encoding?.rawValue ?? "auto",
                        "delimiter": spec.format.delimiter.map(InputFormat.describe) ?? "auto",
                        "quote": InputFormat.describe(spec.format.quote),
                        "quotes": spec.format.quotes.rawValue,
                        "skip_rows": spec.format.skipRows.map { $0 as Any } ?? "auto",
                        "max_field_bytes": spec.format.maxFieldBytes,
                        "max_record_lines": spec.format.maxRecordLines,
                        "lookups": spec.lookups.map { lookup in
                            [
                                "path": lookup.displayPath, "key": lookup.key, "on": lookup.on,
                                "take": lookup.takes.map { take in
                                    [
                                        "column": take.target, "from": take.column ?? NSNull(), "aggregate": take.aggregate.rawValue,
                                    ] as [String: Any]
                                },
                                "formats": lookup.formats, "decimal": lookup.decimalComma ? "," : ".",
                                "null_values": lookup.readerSpec(of: spec).nullTokens, "max_reject_rate": lookup.maxRejectRate,
                                "encoding": lookup.format.encoding?.rawValue ?? "auto",
                                "delimiter": lookup.format.delimiter.map(InputFormat.describe) ?? "auto",
                                "quote": InputFormat.describe(lookup.format.quote),
                                "quotes": lookup.format.quotes.rawValue,
                                "max_record_lines": lookup.format.maxRecordLines,
                                "skip_rows": lookup.format.skipRows.map { $0 as Any } ?? "auto",
                                "max_field_bytes": lookup.format.maxFieldBytes,
                            ] as [String: Any]
                        },
                        "tests": spec.tests.map { test in
                            [
                                "column": test.column, "test": test.kind.name, "severity": test.isError ? "error" : "warn",
                                "error_if": test.threshold.description,
                            ]
                        },
                    ] as [String: Any])
                }),
            ] as [String: Any],
            "as_of": asOf.description,
            "started_at": ISO8601DateFormatter().string(from: options.startedAt),
            "jobs": options.jobs,
            "anonymized": options.anonymize,
            "inputs": inputs,
            "rejects_total": data.rejects.count,
            "unresolved_order_links": metrics.unresolvedOrderLinks,
            "duplicate_pairs": [
                "found": duplicatePairsFound, "written": min(duplicatePairsFound, config.analytics.duplicateMaxPairs),
            ],
            "teams_not_in_seeds": teams.filter { !$0.isSeeded }.map(\.id),
            "targets": [
                "met": targets.filter { $0.status == .met }.count,
                "missed": targets.filter { $0.status == .missed }.count,
                "no_data": targets.filter { $0.status == .noData }.count,
            ],
            "data_tests": dataTests.map { result in
                [
                    "input": result.input.rawValue, "column": result.spec.column, "test": result.spec.kind.name,
                    "severity": result.spec.isError ? "error" : "warn", "total": result.total,
                    "failing": result.failing, "status": result.status.rawValue,
                ] as [String: Any]
            },
            "outputs": tables.map { ["file": $0.name, "rows": $0.table.rows.count] as [String: Any] }
                + otherOutputs.map { ["file": $0] } + [["file": "manifest.json"]],
            "stage_seconds": Dictionary(timings.map { ($0.0, ($0.1 * 1000).rounded() / 1000) }, uniquingKeysWith: +),
        ]
        if let partitioned {
            document["plan"] = ["id": partitioned.planID, "path": partitioned.planPath, "partition_count": partitioned.partitions.count]
            document["partitions"] = partitioned.partitions.map { partition in
                [
                    "index": partition.index, "partial": partition.path, "created_at": partition.createdAt,
                    "checksum": partition.checksum,
                    "stage_seconds": partition.timings.mapValues { ($0 * 1000).rounded() / 1000 },
                ] as [String: Any]
            }
        }
        do {
            let json = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            return String(decoding: json, as: UTF8.self) + "\n"
        } catch {
            throw .output(SourceLocation(path: "manifest.json"), "cannot encode the run facts as JSON")
        }
    }
}

/// What a merge's manifest says about the partitioned run it finished.
struct PartitionedRunFacts: Sendable {
    struct Partition: Sendable {
        var index: Int
        /// The partial file, as reports write paths.
        var path: String
        var createdAt: String
        var checksum: String
        /// The partition's seconds per stage.
        var timings: [String: Double]
    }

    var planID: String
    var planPath: String
    var partitions: [Partition]
}
