import Foundation
import Testing

@testable import TeamPulse

@Suite("Pipeline files and seeds")
struct ConfigurationTests {
    func pipelineError(_ yaml: String) -> TeamPulseError? {
        do {
            _ = try PipelineConfig.parse(yaml, path: "/p/pipelines/x.yml")
            return nil
        } catch {
            return error
        }
    }

    @Test("defaults fill what the file leaves out; paths are relative to the pipeline file")
    func defaults() throws {
        let config = try PipelineConfig.parse("version: 1\ninputs:\n  orders:\n    path: ../data/o.csv\n", path: "/p/pipelines/x.yml")
        #expect(config.name == "x")
        #expect(config.timeZoneIdentifier == "Asia/Shanghai")
        #expect(config.windows.map(\.description) == ["1d", "7d", "28d"])
        #expect(config.seedsDirectory == "/p/seeds")
        #expect(config.outputDirectory == "/p/out")
        #expect(config.shipSLAHours == 24)
        #expect(config.inputs.map(\.path) == ["/p/data/o.csv"])
        #expect(config.inputs[0].duplicates == .last)
        #expect(config.inputs[0].maxRejectRate == 0.05)
        #expect(config.inputs[0].maxLagDays == 3)
        #expect(config.inputs[0].minRecords == 1)
        #expect(config.inputs[0].staleIsError == false)
    }

    @Test("every key is read")
    func allKeys() throws {
        let config = try PipelineConfig.parse("""
            version: 1
            name: nightly
            timezone: Europe/Berlin
            seeds: /s
            output: /o
            windows: [1d, 14d]
            ship_sla_h: 36
            inputs:
              tickets:
                path: /t.csv
                duplicates: reject
                max_reject_rate: 2.5%
                max_age_hours: 30
                max_lag_days: 1
                min_records: 50
                on_stale: error
                columns: {工单号: ticket_id, " Created ": created_at}
            """, path: "/p/x.yml")
        #expect(config.name == "nightly")
        #expect(config.timeZoneIdentifier == "Europe/Berlin")
        #expect(config.windows == [WindowSpec(days: 1), WindowSpec(days: 14)])
        #expect(config.shipSLAHours == 36)
        #expect(config.input(.tickets)?.columns == ["工单号": "ticket_id", "Created": "created_at"])
        #expect(config.input(.tickets)?.duplicates == .reject)
        #expect(config.input(.tickets)?.maxRejectRate == 0.025)
        #expect(config.input(.tickets)?.maxAgeHours == 30)
        #expect(config.input(.tickets)?.maxLagDays == 1)
        #expect(config.input(.tickets)?.minRecords == 50)
        #expect(config.input(.tickets)?.staleIsError == true)
        #expect(config.input(.orders) == nil)
    }

    @Test("mistakes name the line and column", arguments: [
        ("version: 1\nwindow: [1d]\ninputs: {orders: {path: a}}\n", "/p/pipelines/x.yml:2:1: invalid pipeline: unknown key 'window'"),
        ("version: 2\ninputs: {orders: {path: a}}\n", "/p/pipelines/x.yml:1:10: invalid pipeline: unsupported version 2"),
        ("inputs: {orders: {path: a}}\n", "/p/pipelines/x.yml:1:1: invalid pipeline: missing 'version'"),
        ("version: 1\ninputs:\n  orders:\n    path: a\n    colums: {}\n", "/p/pipelines/x.yml:5:5: invalid pipeline: unknown key 'colums'"),
        ("version: 1\ninputs:\n  orders:\n    path: a\n    columns: {X: order_number}\n", "/p/pipelines/x.yml:5:18: invalid pipeline: 'order_number' is not a column of orders"),
        ("version: 1\nwindows: [7x]\ninputs: {orders: {path: a}}\n", "/p/pipelines/x.yml:2:11: invalid pipeline: bad window '7x'"),
        ("version: 1\ntimezone: Mars/Base\ninputs: {orders: {path: a}}\n", "/p/pipelines/x.yml:2:11: invalid pipeline: unknown time zone 'Mars/Base'"),
        ("version: 1\ninputs: {orders: {path: a, max_reject_rate: 150%}}\n", "/p/pipelines/x.yml:2:45: invalid pipeline: 'max_reject_rate' must be a share"),
        ("version: 1\ninputs: {payments: {path: a}}\n", "/p/pipelines/x.yml:2:10: invalid pipeline: unknown key 'payments'"),
        ("version: 1\ninputs: [\n", "/p/pipelines/x.yml:3:1: invalid pipeline:"),
        ("version: 1\ninputs: {orders: {path: a, min_records: -1}}\n", "/p/pipelines/x.yml:2:41: invalid pipeline: 'min_records' must be a whole number of records, 0 or more"),
        // YAML mistakes beyond the scanner and parser: one line, with the position.
        ("version: 1\nversion: 1\ninputs: {orders: {path: a}}\n", "/p/pipelines/x.yml:1:1: invalid pipeline: a mapping has a key twice: 'version'"),
        ("version: 1\nname: *x\ninputs: {orders: {path: a}}\n", "/p/pipelines/x.yml:2:7: invalid pipeline: found undefined alias"),
    ])
    func errors(yaml: String, prefix: String) throws {
        let error = try #require(pipelineError(yaml))
        #expect(error.description.hasPrefix(prefix), "\(error)")
        #expect(!error.description.contains("\n"), "one line")
        #expect(error.exitCode == 2)
    }

    @Test("an unreadable pipeline file is a configuration error")
    func missingPipeline() {
        #expect(throws: TeamPulseError.pipeline(SourceLocation(path: "/nonexistent.yml"), "no such file")) {
            try PipelineConfig.load(path: "/nonexistent.yml")
        }
    }

    // MARK: Seeds

    func seedFolder(_ files: [String: String]) -> String {
        let folder = temporaryFolder()
        var all = ["teams.csv": "team,name,name_zh,department\nops,Ops,运营,operations\ncs,Service,客服,customer_service\n"]
        all.merge(files) { $1 }
        for (name, text) in all {
            try! Data(text.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
        }
        return folder
    }

    @Test("the repository's seeds are valid")
    func repositorySeeds() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../seeds").standardizedFileURL.path
        let seeds = try Seeds.load(from: folder, windows: PipelineConfig.defaultWindows)
        // The demo seeds write the usual departments by their codes.
        #expect(Set(seeds.teams.map(\.department)) == Set(Departments.usual.map(\.code)))
        #expect(!seeds.targets.isEmpty)
        #expect(seeds.shipSLAHours["ops-campaign"] == 48)
    }

    @Test("seeds are read with their optional files")
    func seedsLoad() throws {
        let folder = seedFolder([
            "members.csv": "member,team,role\n王芳,cs,agent\n",
            "targets.csv": "team,metric,op,target,window\ncs,first_response_p90_min,<=,30,\nops,ship_sla_h,<=,12,\n",
        ])
        let seeds = try Seeds.load(from: folder, windows: PipelineConfig.defaultWindows)
        #expect(seeds.teams.map(\.id) == ["ops", "cs"])
        #expect(seeds.members.map(\.name) == ["王芳"])
        #expect(seeds.targets == [TargetSpec(team: "cs", metric: "first_response_p90_min", comparison: .lessOrEqual, target: 30, window: WindowSpec(days: 7), line: 2)])
        #expect(seeds.shipSLAHours == ["ops": 12])
        #expect(seeds.stores.isEmpty)
    }

    @Test("bad seeds name file, line and column", arguments: [
        (["members.csv": "member,team,role\n王芳,cs,agent\n李娜,servce,agent\n"], "members.csv:3:2: invalid seed: unknown team 'servce'"),
        (["members.csv": "member,team,role\n王芳,cs,agent\n王芳,ops,agent\n"], "members.csv:3:1: invalid seed: duplicate member '王芳'"),
        (["teams.csv": "team,name,name_zh,department\nall,All,全部,运营\n"], "teams.csv:2:1: invalid seed: team id 'all' is reserved"),
        (["teams.csv": "team,name,name_zh,department\ndept:x,X,X,运营\n"], "teams.csv:2:1: invalid seed: team id 'dept:x' is reserved"),
        (["teams.csv": "team,name,name_zh,department\nops,Ops,运营,\n"], "teams.csv:2:4: invalid seed: 'department' is empty"),
        (["targets.csv": "team,metric,op,target\ndept:sales,orders,>=,1\n"], "targets.csv:2:1: invalid seed: unknown department 'sales'"),
        (["targets.csv": "team,metric,op,target\nall,ship_sla_h,<=,24\n"], "targets.csv:2:1: invalid seed: ship_sla_h is set per team, not for 'all'"),
        (["teams.csv": "team,name,name_zh,department\nops,Ops,运营,operations\nops,Ops2,运营2,operations\n"], "teams.csv:3:1: invalid seed: duplicate team 'ops'"),
        (["targets.csv": "team,metric,op,target\ncs,first_reply,<=,30\n"], "targets.csv:2:2: invalid seed: unknown metric 'first_reply'"),
        (["targets.csv": "team,metric,op,target\ncs,csat_mean,=>,4\n"], "targets.csv:2:3: invalid seed: unknown op '=>'"),
        (["targets.csv": "team,metric,op,target\ncs,csat_mean,>=,high\n"], "targets.csv:2:4: invalid seed: target 'high' is not a number"),
        (["targets.csv": "team,metric,op,target,window\ncs,csat_mean,>=,4,90d\n"], "targets.csv:2:5: invalid seed: window '90d' is not one of the pipeline's windows"),
        (["stores.csv": "store,team,owner\nx,ops,y\n"], "stores.csv:1:3: invalid seed: unknown column 'owner'"),
        (["stores.csv": "store,team\n\"x,ops\n"], "stores.csv:2: invalid seed: broken quoting"),
    ])
    func seedErrors(files: [String: String], suffix: String) throws {
        let folder = seedFolder(files)
        do {
            _ = try Seeds.load(from: folder, windows: PipelineConfig.defaultWindows)
            Issue.record("expected an error ending with \(suffix)")
        } catch {
            #expect(error.description.contains(suffix), "\(error)")
            #expect(error.exitCode == 2)
        }
    }

    @Test("departments are free text; targets may name the company or a department")
    func freeTextDepartments() throws {
        let folder = seedFolder([
            "teams.csv": "team,name,name_zh,department\nbuy,Buying,采购组,商品部\ncare,Care,客服组, customer service \nops,Ops,运营组,运营\nnew,New,新组,商品部\n",
            "targets.csv": "team,metric,op,target,window\nall,orders,>=,100,\ndept:商品部,on_time_rate,>=,0.8,28d\ndept:customer service,first_response_p90_min,<=,30,\n",
        ])
        let seeds = try Seeds.load(from: folder, windows: PipelineConfig.defaultWindows)
        // Kept as written (surrounding spaces trimmed), Chinese and English, spaces inside included.
        #expect(seeds.teams.map(\.department) == ["商品部", "customer service", "运营", "商品部"])
        #expect(seeds.targets.map(\.team) == ["all", "dept:商品部", "dept:customer service"])
        let units = Rollups(teams: seeds.teams).units
        #expect(units.map(\.team.id) == ["all", "dept:商品部", "dept:customer service", "dept:运营"])
        #expect(units.map(\.members) == [[0, 1, 2, 3], [0, 3], [1], [2]])
        #expect(units.map(\.team.name) == ["Company", "商品部", "Customer service", "Operations"])
    }

    @Test("teams.csv is required")
    func teamsRequired() {
        let folder = temporaryFolder()
        #expect(throws: TeamPulseError.self) { try Seeds.load(from: folder, windows: PipelineConfig.defaultWindows) }
    }
}
