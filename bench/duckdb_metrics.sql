-- teampulse v1 metric table in DuckDB — the reference implementation for bench/compare.py.
--
-- Computes every metric of docs/metrics.md from the three CSV exports (orders, tickets, tasks) and
-- the seeds folder, in the long format of teampulse's `metrics.csv`:
--     as_of, window, team, metric, value, unit
-- one row per team x window x metric id (catalogue order of Sources/TeamPulse/Metrics/MetricCatalog.swift),
-- value NULL where the doc says "empty".
--
-- PARAMETERS — set with SET VARIABLE before this script runs (bench/duckdb_run.py does it):
--     SET VARIABLE as_of        = DATE '2026-11-15';          -- required: the as-of day D
--     SET VARIABLE orders_path  = '/path/orders.csv';         -- required (headers as pipelines/nightly.yml maps them)
--     SET VARIABLE tickets_path = '/path/tickets.csv';        -- required
--     SET VARIABLE tasks_path   = '/path/tasks.csv';          -- required
--     SET VARIABLE seeds_dir    = '/work/main/seeds';         -- required: teams.csv, members.csv, stores.csv,
--                                                             --   warehouses.csv, targets.csv
--     SET VARIABLE windows      = [1, 7, 28];                 -- optional, default [1, 7, 28] (window Nd)
--     SET VARIABLE ship_sla_h   = 24;                         -- optional, the pipeline's default ship SLA
--     SET VARIABLE utc_offset_min = 480;                      -- optional, the pipeline time zone as a FIXED
--                                                             --   offset (Asia/Shanghai = UTC+8, no DST)
-- With the duckdb CLI: put those lines in front of this file.  The script leaves the result in the
-- temporary table `tp_metrics` and ends with a SELECT of it in output order; to write a CSV:
--     COPY (SELECT as_of, "window", team, metric, value, unit FROM tp_metrics
--           ORDER BY team_order, window_order, metric_order) TO 'metrics.csv';
-- (tp_metrics also has the three helper ordering columns; bench/duckdb_run.py writes the six real ones
-- from the final SELECT, numbers formatted as teampulse formats them.)
--
-- Time: every timestamp becomes epoch milliseconds (BIGINT).  Values without an offset are local time
-- of the fixed offset `utc_offset_min`; a window is [start, end) in epoch ms with end = D+1 00:00 local.
-- A date-only value is local midnight as an event and the next midnight (exclusive) as a deadline;
-- a timestamp deadline t is met by events <= t, i.e. it is the exclusive bound t + 1 ms.
--
-- Limits (the benchmark data is generated without bad rows): malformed rows are not rejected
-- (an unparseable timestamp becomes NULL instead of rejecting the record), and duplicate keys are not
-- de-duplicated (teampulse's "last wins" policy has nothing to do on duplicate-free data).

-- ---------------------------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP MACRO tp_off_ms() AS coalesce(getvariable('utc_offset_min'), 480)::BIGINT * 60000;

-- A field as teampulse sees it: spaces/tabs around it trimmed, empty = NULL.
-- (trim only when the value starts or ends with a space or tab: trimming every value is costly)
CREATE OR REPLACE TEMP MACRO tp_v(x) AS
    nullif(CASE WHEN ascii(x) IN (32, 9) OR suffix(x, ' ') OR suffix(x, chr(9)) THEN trim(x, E' \t') ELSE x END, '');

-- Generic timestamp parser (docs/schema.md "Values"): YYYY-MM-DD, YYYY-MM-DD[T ]H:MM[:SS[.fff]],
-- '/' as date separator, optional Z / ±HH:MM / ±HHMM / ±HH.  Returns epoch ms of the event instant.
CREATE OR REPLACE TEMP MACRO tp_re(s) AS regexp_extract(s,
    '^(\d{4})([-/])(\d{1,2})[-/](\d{1,2})(?:[T ] *(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)? *(Z|[+-]\d{2}(?::?\d{2})?)?$',
    ['y', 'sep', 'mo', 'd', 'h', 'mi', 's', 'f', 'z']);
CREATE OR REPLACE TEMP MACRO tp_generic_ms(p) AS
    CASE WHEN p.y = '' THEN NULL ELSE
        epoch_ms(make_timestamp(p.y::BIGINT, p.mo::BIGINT, p.d::BIGINT,
                                coalesce(nullif(p.h, ''), '0')::BIGINT, coalesce(nullif(p.mi, ''), '0')::BIGINT, 0))
        + coalesce(nullif(p.s, ''), '0')::BIGINT * 1000
        + CASE WHEN p.f = '' THEN 0 ELSE rpad(left(p.f, 3), 3, '0')::BIGINT END
        - CASE WHEN p.z = '' THEN tp_off_ms()
               WHEN p.z = 'Z' THEN 0
               ELSE (CASE WHEN left(p.z, 1) = '-' THEN -1 ELSE 1 END) * 60000
                    * (substr(replace(p.z, ':', ''), 2, 2)::BIGINT * 60
                       + CASE WHEN length(replace(p.z, ':', '')) = 5 THEN substr(replace(p.z, ':', ''), 4, 2)::BIGINT ELSE 0 END)
          END
    END;
-- Event instant in epoch ms.  Fast paths (picked by the value's shape) for the formats the exports use:
-- 'YYYY-MM-DD HH:MM:SS', 'YYYY-MM-DD HH:MM' and 'YYYY-MM-DD' local, 'YYYY-MM-DDTHH:MM:SS±HH:MM'; the generic
-- parser otherwise.
CREATE OR REPLACE TEMP MACRO tp_ms(s) AS
    CASE WHEN s IS NULL THEN NULL ELSE coalesce(
        CASE WHEN length(s) = 19 AND substr(s, 11, 1) = ' '
                 THEN epoch_ms(try_strptime(s, '%Y-%m-%d %H:%M:%S')) - tp_off_ms()
             WHEN length(s) = 16 AND substr(s, 11, 1) = ' '
                 THEN epoch_ms(try_strptime(s, '%Y-%m-%d %H:%M')) - tp_off_ms()
             WHEN length(s) = 10 AND substr(s, 5, 1) = '-'
                 THEN epoch_ms(try_strptime(s, '%Y-%m-%d')) - tp_off_ms()
             WHEN length(s) = 25 AND substr(s, 11, 1) = 'T' AND substr(s, 20, 1) IN ('+', '-') AND substr(s, 23, 1) = ':'
                 THEN epoch_ms(try_strptime(left(s, 19), '%Y-%m-%dT%H:%M:%S'))
                      - (CASE substr(s, 20, 1) WHEN '-' THEN -1 ELSE 1 END)
                        * (try_cast(substr(s, 21, 2) AS BIGINT) * 60 + try_cast(substr(s, 24, 2) AS BIGINT)) * 60000
        END,
        tp_generic_ms(tp_re(s)))
    END;
-- Exclusive deadline in epoch ms: a date-only value means the end of that local day.
CREATE OR REPLACE TEMP MACRO tp_deadline_ms(s) AS
    CASE WHEN s IS NULL THEN NULL
         WHEN length(s) = 10 AND substr(s, 5, 1) = '-' THEN tp_ms(s) + 86400000
         WHEN regexp_full_match(s, '\d{4}[-/]\d{1,2}[-/]\d{1,2}') THEN tp_ms(s) + 86400000
         ELSE tp_ms(s) + 1
    END;

-- ---------------------------------------------------------------------------------------------
-- Seeds and windows
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE tp_seed_teams AS
SELECT row_number() OVER () AS seed_order, tp_v(team) AS team, tp_v(name) AS name, tp_v(name_zh) AS name_zh
FROM read_csv(getvariable('seeds_dir') || '/teams.csv', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"');

-- id, English name and Chinese name -> team id (the first team to claim an alias keeps it)
CREATE OR REPLACE TEMP TABLE tp_alias AS
SELECT alias, team FROM (
    SELECT team AS alias, team, seed_order, 0 AS k FROM tp_seed_teams
    UNION ALL SELECT name, team, seed_order, 1 FROM tp_seed_teams WHERE name IS NOT NULL
    UNION ALL SELECT name_zh, team, seed_order, 2 FROM tp_seed_teams WHERE name_zh IS NOT NULL)
QUALIFY row_number() OVER (PARTITION BY alias ORDER BY seed_order, k) = 1;

CREATE OR REPLACE TEMP TABLE tp_members AS
SELECT tp_v(member) AS member, tp_v(team) AS team
FROM read_csv(getvariable('seeds_dir') || '/members.csv', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"');

CREATE OR REPLACE TEMP TABLE tp_stores AS
SELECT tp_v(store) AS store, tp_v(team) AS team
FROM read_csv(getvariable('seeds_dir') || '/stores.csv', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"');

CREATE OR REPLACE TEMP TABLE tp_warehouses AS
SELECT tp_v(warehouse) AS warehouse, tp_v(team) AS team
FROM read_csv(getvariable('seeds_dir') || '/warehouses.csv', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"');

-- ship SLA in ms per team (teampulse rounds hours * 3 600 000 to whole ms)
CREATE OR REPLACE TEMP TABLE tp_sla AS
SELECT tp_v(team) AS team, round(tp_v(target)::DOUBLE * 3600000)::BIGINT AS sla_ms
FROM read_csv(getvariable('seeds_dir') || '/targets.csv', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')
WHERE tp_v(metric) = 'ship_sla_h';

CREATE OR REPLACE TEMP TABLE tp_windows AS
WITH d AS (SELECT unnest(coalesce(getvariable('windows'), [1, 7, 28])) AS days, generate_subscripts(coalesce(getvariable('windows'), [1, 7, 28]), 1) AS window_order)
SELECT window_order, days, days::VARCHAR || 'd' AS "window",
       epoch_ms((getvariable('as_of')::DATE + 1 - days::INTEGER)::TIMESTAMP) - tp_off_ms() AS w_start,
       epoch_ms((getvariable('as_of')::DATE + 1)::TIMESTAMP) - tp_off_ms() AS w_end
FROM d;

-- ---------------------------------------------------------------------------------------------
-- Inputs in canonical form, each with its team
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE tp_orders AS
WITH raw AS (
    SELECT tp_v("订单编号") AS order_id, tp_v("店铺名称") AS store, tp_v("负责团队") AS team_raw,
           tp_v("下单时间") AS created_s, tp_v("付款时间") AS paid_s, tp_v("发货时间") AS shipped_s,
           tp_v("签收时间") AS delivered_s, lower(tp_v("订单状态")) AS status, tp_v("实付金额") AS amount_s,
           tp_v("发货仓") AS warehouse, tp_v("承诺发货时间") AS ship_by_s
    FROM read_csv(getvariable('orders_path'), header = true, all_varchar = true, delim = ',', quote = '"',
                  escape = '"', max_line_size = 16777216))
SELECT r.order_id,
       CASE WHEN r.team_raw IS NOT NULL THEN coalesce(a.team, r.team_raw)
            WHEN s.team IS NOT NULL THEN s.team
            WHEN w.team IS NOT NULL THEN w.team
            ELSE 'unassigned' END AS team,
       tp_ms(r.created_s) AS created_ms, tp_ms(r.paid_s) AS paid_ms, tp_ms(r.shipped_s) AS shipped_ms,
       tp_ms(r.delivered_s) AS delivered_ms, tp_deadline_ms(r.ship_by_s) AS ship_by_excl,
       r.status, coalesce(r.status IN ('cancelled', 'refunded'), false) AS is_void,
       r.amount_s::DECIMAL(18, 4) AS amount
FROM raw r
LEFT JOIN tp_alias a ON a.alias = r.team_raw
LEFT JOIN tp_stores s ON s.store = r.store
LEFT JOIN tp_warehouses w ON w.warehouse = r.warehouse;

CREATE OR REPLACE TEMP TABLE tp_tickets AS
WITH raw AS (
    SELECT tp_v(ticket_id) AS ticket_id, tp_v(order_id) AS order_id, tp_v(team) AS team_raw, tp_v(agent) AS agent,
           tp_v(created_at) AS created_s, tp_v(first_response_at) AS fr_s, tp_v(resolved_at) AS resolved_s,
           tp_v(reopens) AS reopens_s, tp_v(escalated_to) AS escalated_to, tp_v(csat) AS csat_s
    FROM read_csv(getvariable('tickets_path'), header = true, all_varchar = true, delim = ',', quote = '"',
                  escape = '"', max_line_size = 16777216))
SELECT r.ticket_id, r.order_id,
       CASE WHEN r.team_raw IS NOT NULL THEN coalesce(a.team, r.team_raw)
            WHEN m.team IS NOT NULL THEN m.team
            ELSE 'unassigned' END AS team,
       r.agent,
       tp_ms(r.created_s) AS created_ms, tp_ms(r.fr_s) AS fr_ms, tp_ms(r.resolved_s) AS resolved_ms,
       coalesce(r.reopens_s::BIGINT, 0) AS reopens, r.escalated_to IS NOT NULL AS escalated,
       CASE WHEN r.escalated_to IS NOT NULL THEN coalesce(ea.team, r.escalated_to) END AS escalated_team,
       r.csat_s::INTEGER AS csat
FROM raw r
LEFT JOIN tp_alias a ON a.alias = r.team_raw
LEFT JOIN tp_alias ea ON ea.alias = r.escalated_to
LEFT JOIN tp_members m ON m.member = r.agent;

CREATE OR REPLACE TEMP TABLE tp_tasks AS
WITH raw AS (
    SELECT tp_v(task_id) AS task_id, tp_v(team) AS team_raw, tp_v(assignee) AS assignee,
           tp_v(requester_team) AS requester_raw, tp_v(created_at) AS created_s, tp_v(started_at) AS started_s,
           tp_v(due_at) AS due_s, tp_v(completed_at) AS completed_s
    FROM read_csv(getvariable('tasks_path'), header = true, all_varchar = true, delim = ',', quote = '"',
                  escape = '"', max_line_size = 16777216))
SELECT r.task_id,
       CASE WHEN r.team_raw IS NOT NULL THEN coalesce(a.team, r.team_raw)
            WHEN m.team IS NOT NULL THEN m.team
            ELSE 'unassigned' END AS team,
       r.assignee,
       CASE WHEN r.requester_raw IS NOT NULL THEN coalesce(ra.team, r.requester_raw) END AS requester,
       tp_ms(r.created_s) AS created_ms, tp_ms(r.started_s) AS started_ms,
       tp_deadline_ms(r.due_s) AS due_excl, tp_ms(r.completed_s) AS completed_ms
FROM raw r
LEFT JOIN tp_alias a ON a.alias = r.team_raw
LEFT JOIN tp_alias ra ON ra.alias = r.requester_raw
LEFT JOIN tp_members m ON m.member = r.assignee;

-- Teams with rows: every seeded team; a team not in the seeds when any record names it (as its team,
-- requester_team or escalated_to); `unassigned` when a record belongs to it.
CREATE OR REPLACE TEMP TABLE tp_teams AS
SELECT team FROM tp_seed_teams
UNION SELECT team FROM tp_orders
UNION SELECT team FROM tp_tickets
UNION SELECT team FROM tp_tasks
UNION SELECT escalated_team FROM tp_tickets WHERE escalated_team IS NOT NULL
UNION SELECT requester FROM tp_tasks WHERE requester IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- Per team and window
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE tp_agg_orders AS
WITH x AS (
    SELECT o.team, w."window", w.w_end,
           o.created_ms >= w.w_start AND o.created_ms < w.w_end AS created_in,
           coalesce(o.paid_ms >= w.w_start AND o.paid_ms < w.w_end, false) AS paid_in,
           coalesce(o.shipped_ms < w.w_end, false) AS shipped_known,
           coalesce(o.delivered_ms >= w.w_start AND o.delivered_ms < w.w_end, false) AS delivered_in,
           -- the exclusive deadline: ship_by, else paid_at + SLA (met when shipped <= paid_at + SLA)
           coalesce(o.ship_by_excl, o.paid_ms + coalesce(s.sla_ms, round(coalesce(getvariable('ship_sla_h'), 24)::DOUBLE * 3600000)::BIGINT) + 1) AS deadline_excl,
           o.*
    FROM tp_orders o CROSS JOIN tp_windows w LEFT JOIN tp_sla s ON s.team = o.team)
SELECT team, "window",
       count(*) FILTER (WHERE created_in) AS orders,
       count(*) FILTER (WHERE paid_in) AS paid_orders,
       sum(amount) FILTER (WHERE paid_in AND NOT is_void AND amount IS NOT NULL) AS gmv_dec,
       count(*) FILTER (WHERE paid_in AND NOT is_void AND amount IS NOT NULL) AS gmv_orders,
       count(*) FILTER (WHERE created_in AND status = 'cancelled') AS cancelled,
       count(*) FILTER (WHERE paid_in AND status = 'refunded') AS refunded,
       quantile_cont((shipped_ms - paid_ms) / 3600000.0, [0.5, 0.9])
           FILTER (WHERE paid_in AND shipped_known AND shipped_ms >= paid_ms) AS ship_latency_q,
       count(*) FILTER (WHERE paid_in AND (shipped_known OR (NOT is_void AND deadline_excl <= w_end))) AS sla_eligible,
       count(*) FILTER (WHERE paid_in AND shipped_known AND shipped_ms < deadline_excl) AS sla_met,
       quantile_cont((delivered_ms - shipped_ms) / 3600000.0, [0.5, 0.9])
           FILTER (WHERE delivered_in AND shipped_ms IS NOT NULL AND delivered_ms >= shipped_ms) AS delivery_q,
       count(*) FILTER (WHERE paid_ms < w_end AND NOT shipped_known AND NOT is_void AND deadline_excl <= w_end) AS unshipped_past_sla
FROM x GROUP BY team, "window";

CREATE OR REPLACE TEMP TABLE tp_agg_tickets AS
WITH x AS (
    SELECT t.team, w."window",
           t.created_ms >= w.w_start AND t.created_ms < w.w_end AS created_in,
           coalesce(t.resolved_ms >= w.w_start AND t.resolved_ms < w.w_end, false) AS resolved_in,
           coalesce(t.resolved_ms < w.w_end, false) AS resolved_known,
           coalesce(t.fr_ms < w.w_end, false) AS fr_known,
           t.created_ms < w.w_end AS created_known,
           t.*
    FROM tp_tickets t CROSS JOIN tp_windows w)
SELECT team, "window",
       count(*) FILTER (WHERE created_in) AS tickets_created,
       count(*) FILTER (WHERE resolved_in) AS tickets_resolved,
       count(*) FILTER (WHERE created_known AND NOT resolved_known) AS ticket_backlog,
       quantile_cont((fr_ms - created_ms) / 60000.0, [0.5, 0.9])
           FILTER (WHERE created_in AND fr_known AND fr_ms >= created_ms) AS first_response_q,
       quantile_cont((resolved_ms - created_ms) / 3600000.0, [0.5, 0.9])
           FILTER (WHERE resolved_in AND resolved_ms >= created_ms) AS resolution_q,
       count(*) FILTER (WHERE resolved_in AND reopens > 0) AS reopened,
       count(*) FILTER (WHERE created_in AND escalated) AS escalated_n,
       sum(csat) FILTER (WHERE resolved_in AND csat IS NOT NULL) AS csat_sum,
       count(*) FILTER (WHERE resolved_in AND csat IS NOT NULL) AS csat_n,
       count(*) FILTER (WHERE resolved_in AND csat >= 4) AS csat_satisfied
FROM x GROUP BY team, "window";

-- contact rate numerator: tickets created in W, attributed to the team owning the linked order
CREATE OR REPLACE TEMP TABLE tp_agg_contact AS
SELECT o.team, w."window", count(*) AS contact_tickets
FROM tp_tickets t
JOIN tp_orders o ON o.order_id = t.order_id
JOIN tp_windows w ON t.created_ms >= w.w_start AND t.created_ms < w.w_end
GROUP BY o.team, w."window";

CREATE OR REPLACE TEMP TABLE tp_agg_tasks AS
WITH x AS (
    SELECT k.team, w."window", w.w_end,
           k.created_ms >= w.w_start AND k.created_ms < w.w_end AS created_in,
           coalesce(k.completed_ms >= w.w_start AND k.completed_ms < w.w_end, false) AS completed_in,
           NOT coalesce(k.completed_ms < w.w_end, false) AS open_at_end,
           k.created_ms < w.w_end AS created_known,
           coalesce(k.started_ms < w.w_end, false) AS started_known,
           k.*
    FROM tp_tasks k CROSS JOIN tp_windows w)
SELECT team, "window",
       count(*) FILTER (WHERE created_in) AS tasks_created,
       count(*) FILTER (WHERE completed_in) AS tasks_completed,
       count(*) FILTER (WHERE open_at_end AND started_known) AS wip,
       count(*) FILTER (WHERE open_at_end AND created_known AND due_excl <= w_end) AS overdue_open,
       count(*) FILTER (WHERE open_at_end AND created_known AND assignee IS NULL) AS unassigned_open,
       quantile_cont((completed_ms - created_ms) / 86400000.0, [0.5, 0.85])
           FILTER (WHERE completed_in AND completed_ms >= created_ms) AS lead_q,
       quantile_cont((completed_ms - started_ms) / 86400000.0, [0.5, 0.85])
           FILTER (WHERE completed_in AND started_ms IS NOT NULL AND completed_ms >= started_ms) AS cycle_q,
       count(*) FILTER (WHERE completed_in AND due_excl IS NOT NULL) AS with_due,
       count(*) FILTER (WHERE completed_in AND completed_ms < due_excl) AS on_time,
       count(*) FILTER (WHERE completed_in AND requester IS NOT NULL AND requester <> team) AS cross_team
FROM x GROUP BY team, "window";

-- requests_sent_on_time_rate: attributed to the requesting team
CREATE OR REPLACE TEMP TABLE tp_agg_requests AS
SELECT k.requester AS team, w."window",
       count(*) AS requests_with_due,
       count(*) FILTER (WHERE k.completed_ms < k.due_excl) AS requests_on_time
FROM tp_tasks k JOIN tp_windows w ON k.completed_ms >= w.w_start AND k.completed_ms < w.w_end
WHERE k.requester IS NOT NULL AND k.requester <> k.team AND k.due_excl IS NOT NULL
GROUP BY k.requester, w."window";

-- Workload: load = tasks completed in W (assignee) + tickets resolved in W (agent), per team and member;
-- members = seeded members of the team (zero load included) + everyone with load on its records.
CREATE OR REPLACE TEMP TABLE tp_agg_load AS
WITH loads AS (
    SELECT k.team, w."window", k.assignee AS member, count(*) AS load
    FROM tp_tasks k JOIN tp_windows w ON k.completed_ms >= w.w_start AND k.completed_ms < w.w_end
    WHERE k.assignee IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT t.team, w."window", t.agent, count(*)
    FROM tp_tickets t JOIN tp_windows w ON t.resolved_ms >= w.w_start AND t.resolved_ms < w.w_end
    WHERE t.agent IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT m.team, w."window", m.member, 0 FROM tp_members m CROSS JOIN tp_windows w),
roster AS (SELECT team, "window", member, sum(load)::BIGINT AS load FROM loads GROUP BY ALL),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY team, "window" ORDER BY load) AS i,
           count(*) OVER (PARTITION BY team, "window") AS n
    FROM roster)
SELECT team, "window",
       CASE WHEN sum(load) > 0
            THEN sum((2 * i - n - 1) * load)::DOUBLE / (max(n)::DOUBLE * sum(load)::DOUBLE) END AS load_gini,
       CASE WHEN sum(load) > 0 THEN max(load)::DOUBLE / sum(load)::DOUBLE END AS busiest_member_share
FROM ranked GROUP BY team, "window";

-- ---------------------------------------------------------------------------------------------
-- The metric table
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE tp_wide AS
SELECT tm.team, w."window", w.window_order,
    coalesce(o.orders, 0)::DOUBLE AS "orders",
    coalesce(o.paid_orders, 0)::DOUBLE AS paid_orders,
    coalesce(o.gmv_dec, 0)::DOUBLE AS gmv,
    CASE WHEN o.gmv_orders > 0 THEN o.gmv_dec::DOUBLE / o.gmv_orders END AS aov,
    CASE WHEN o.orders > 0 THEN o.cancelled / o.orders::DOUBLE END AS cancel_rate,
    CASE WHEN o.paid_orders > 0 THEN o.refunded / o.paid_orders::DOUBLE END AS refund_rate,
    o.ship_latency_q[1] AS ship_latency_p50_h,
    o.ship_latency_q[2] AS ship_latency_p90_h,
    CASE WHEN o.sla_eligible > 0 THEN o.sla_met / o.sla_eligible::DOUBLE END AS shipped_within_sla_rate,
    o.delivery_q[1] AS delivery_time_p50_h,
    o.delivery_q[2] AS delivery_time_p90_h,
    coalesce(o.unshipped_past_sla, 0)::DOUBLE AS unshipped_past_sla,
    coalesce(t.tickets_created, 0)::DOUBLE AS tickets_created,
    coalesce(t.tickets_resolved, 0)::DOUBLE AS tickets_resolved,
    coalesce(t.ticket_backlog, 0)::DOUBLE AS ticket_backlog,
    t.first_response_q[1] AS first_response_p50_min,
    t.first_response_q[2] AS first_response_p90_min,
    t.resolution_q[1] AS resolution_p50_h,
    t.resolution_q[2] AS resolution_p90_h,
    CASE WHEN t.tickets_resolved > 0 THEN t.reopened / t.tickets_resolved::DOUBLE END AS reopen_rate,
    CASE WHEN t.tickets_created > 0 THEN t.escalated_n / t.tickets_created::DOUBLE END AS escalation_rate,
    CASE WHEN t.csat_n > 0 THEN t.csat_sum::DOUBLE / t.csat_n END AS csat_mean,
    CASE WHEN t.csat_n > 0 THEN t.csat_satisfied / t.csat_n::DOUBLE END AS csat_satisfied_rate,
    CASE WHEN o.orders > 0 THEN 100 * coalesce(c.contact_tickets, 0)::DOUBLE / o.orders END AS contact_rate_per_100_orders,
    coalesce(k.tasks_created, 0)::DOUBLE AS tasks_created,
    coalesce(k.tasks_completed, 0)::DOUBLE AS tasks_completed,
    coalesce(k.wip, 0)::DOUBLE AS wip,
    coalesce(k.overdue_open, 0)::DOUBLE AS overdue_open,
    coalesce(k.unassigned_open, 0)::DOUBLE AS unassigned_open,
    k.lead_q[1] AS lead_time_p50_d,
    k.lead_q[2] AS lead_time_p85_d,
    k.cycle_q[1] AS cycle_time_p50_d,
    k.cycle_q[2] AS cycle_time_p85_d,
    CASE WHEN k.with_due > 0 THEN k.on_time / k.with_due::DOUBLE END AS on_time_rate,
    CASE WHEN k.tasks_completed > 0 THEN k.cross_team / k.tasks_completed::DOUBLE END AS cross_team_work_share,
    CASE WHEN r.requests_with_due > 0 THEN r.requests_on_time / r.requests_with_due::DOUBLE END AS requests_sent_on_time_rate,
    l.load_gini,
    l.busiest_member_share
FROM tp_teams tm CROSS JOIN tp_windows w
LEFT JOIN tp_agg_orders o USING (team, "window")
LEFT JOIN tp_agg_tickets t USING (team, "window")
LEFT JOIN tp_agg_contact c USING (team, "window")
LEFT JOIN tp_agg_tasks k USING (team, "window")
LEFT JOIN tp_agg_requests r USING (team, "window")
LEFT JOIN tp_agg_load l USING (team, "window");

CREATE OR REPLACE TEMP TABLE tp_catalog AS
SELECT metric, unit, metric_order FROM (VALUES
    ('orders', 'count', 1), ('paid_orders', 'count', 2), ('gmv', 'currency', 3), ('aov', 'currency', 4),
    ('cancel_rate', 'ratio', 5), ('refund_rate', 'ratio', 6), ('ship_latency_p50_h', 'hours', 7),
    ('ship_latency_p90_h', 'hours', 8), ('shipped_within_sla_rate', 'ratio', 9),
    ('delivery_time_p50_h', 'hours', 10), ('delivery_time_p90_h', 'hours', 11), ('unshipped_past_sla', 'count', 12),
    ('tickets_created', 'count', 13), ('tickets_resolved', 'count', 14), ('ticket_backlog', 'count', 15),
    ('first_response_p50_min', 'minutes', 16), ('first_response_p90_min', 'minutes', 17),
    ('resolution_p50_h', 'hours', 18), ('resolution_p90_h', 'hours', 19), ('reopen_rate', 'ratio', 20),
    ('escalation_rate', 'ratio', 21), ('csat_mean', 'score', 22), ('csat_satisfied_rate', 'ratio', 23),
    ('contact_rate_per_100_orders', 'per_100_orders', 24),
    ('tasks_created', 'count', 25), ('tasks_completed', 'count', 26), ('wip', 'count', 27),
    ('overdue_open', 'count', 28), ('unassigned_open', 'count', 29), ('lead_time_p50_d', 'days', 30),
    ('lead_time_p85_d', 'days', 31), ('cycle_time_p50_d', 'days', 32), ('cycle_time_p85_d', 'days', 33),
    ('on_time_rate', 'ratio', 34), ('cross_team_work_share', 'ratio', 35),
    ('requests_sent_on_time_rate', 'ratio', 36), ('load_gini', 'ratio', 37), ('busiest_member_share', 'ratio', 38)
) AS c(metric, unit, metric_order);

CREATE OR REPLACE TEMP TABLE tp_metrics AS
WITH long AS (
    FROM tp_wide UNPIVOT INCLUDE NULLS (value FOR metric IN (COLUMNS(* EXCLUDE (team, "window", window_order)))))
SELECT strftime(getvariable('as_of')::DATE, '%Y-%m-%d') AS as_of, l."window", l.team, l.metric, l.value, c.unit,
       l.team AS team_order, l.window_order, c.metric_order
FROM long l JOIN tp_catalog c USING (metric);

SELECT as_of, "window", team, metric, value, unit FROM tp_metrics ORDER BY team_order, window_order, metric_order;
