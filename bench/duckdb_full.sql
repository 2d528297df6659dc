-- The teampulse metric catalogue in DuckDB, written for speed — the "DuckDB full" row of `make bench`
-- and the reference that bench/compare.py checks teampulse's `metrics.csv` against.
--
-- Output: the long format of teampulse's `metrics.csv` (as_of, window, team, metric, value, unit), one
-- row per team x window x metric it computes, catalogue order, value NULL where docs/metrics.md says
-- "empty". It computes the 38 v1 metrics, the flow metrics (open_items, wip_age_p50_d, wip_age_p85_d,
-- sle_d, wip_over_sle, net_flow, throughput_per_day, throughput_trend), key_person_count,
-- single_member_categories, member_wip_p50, member_wip_max and the hand-over metrics (handovers_in,
-- handovers_out, ping_pong_rate, first_assignment_resolution_rate). Not computed (compare.py lists them):
-- the 12 `_bh` business-time twins and after_hours_share (working calendars per team and day),
-- forecast_days_* (a seeded SplitMix64 Monte Carlo), is_silo (the collaboration graph of
-- collaboration.csv and handoffs.csv), duplicate_tasks (tokenised title similarity).
--
-- PARAMETERS — SET VARIABLE before this script runs (bench/duckdb_run.py does it):
--     as_of DATE, orders_path, tickets_path, tasks_path, events_path, seeds_dir; optional windows
--     (default [1, 7, 28]), ship_sla_h (default 24), utc_offset_min (default 480 = Asia/Shanghai, a fixed
--     offset), events_given (default true; false: the hand-over metrics are NULL, as teampulse leaves
--     them without an events input — events_path is then a file with only the header).
-- The script leaves the result in the temp table `tp_metrics` and ends with a SELECT of it in order.
--
-- How it is made fast (see docs/performance.md):
--   * every CSV is read once with its schema given (`columns`, `auto_detect = false`: no sniffing),
--     straight into typed columns; orders go from the reader into their aggregation without a temp table,
--     tickets, tasks and events (read by several aggregations) into one typed temp table each;
--   * one pass per input: each record is joined to the windows it belongs to (the windows share their
--     end, so they nest: a record is in window W when its latest relevant timestamp is after W's start),
--     and one GROUP BY (team, window) computes every metric of that input with FILTER aggregates;
--     records in no window keep one row (window NULL) for the snapshots ("open at end");
--   * the contact rate's ticket -> order link is a hash join of the orders stream against the tickets
--     grouped by order id (≈ 1 row per linked order), not of the tickets against all orders; the same
--     join gives a ticket without a team (none of its own, none through its agent) its order's team;
--   * exact percentiles: quantile_cont (linear interpolation between closest ranks, as docs/metrics.md
--     defines them) on integer milliseconds, converted to the unit afterwards.
--
-- Assumptions (the benchmark data is generated without bad rows; a value that does not fit its column
-- type makes DuckDB fail loudly rather than compute a wrong number): timestamps are ISO 8601 — local
-- `YYYY-MM-DD HH:MM[:SS]` in orders and tasks, with an offset in tickets and events; deadlines
-- (`ship_by`, `due_at`) are dates; values carry no surrounding spaces; statuses are lower case; ids are
-- unique (teampulse's duplicate policy has nothing to do).

SET TimeZone = 'UTC';   -- TIMESTAMPTZ -> TIMESTAMP is then the UTC wall clock; we add the fixed offset
-- read_csv without sniffing gives the optimizer no row estimate (it assumes a few dozen rows), so it
-- would build hash tables on the CSV side of a join: keep the build side where this script puts the
-- small table, on the right of each LEFT JOIN.
SET disabled_optimizers = 'build_side_probe_side';

CREATE OR REPLACE TEMP MACRO tp_off() AS to_minutes(coalesce(getvariable('utc_offset_min'), 480)::BIGINT);
-- windows [1, 7, 28] unless given
CREATE OR REPLACE TEMP MACRO tp_window_list() AS coalesce(getvariable('windows'), [1, 7, 28]);
-- the common end of every window: D+1 00:00 local time
CREATE OR REPLACE TEMP MACRO tp_end() AS (getvariable('as_of')::DATE + 1)::TIMESTAMP;
-- durations in ms between two local TIMESTAMPs
CREATE OR REPLACE TEMP MACRO tp_ms(a, b) AS epoch_ms(b) - epoch_ms(a);

-- ---------------------------------------------------------------------------------------------
-- Seeds and windows (small)
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE tp_seed_teams AS
SELECT row_number() OVER () AS seed_order, trim(team) AS team, nullif(trim(name), '') AS name, nullif(trim(name_zh), '') AS name_zh
FROM read_csv(getvariable('seeds_dir') || '/teams.csv', header = true, all_varchar = true);

-- id, English name and Chinese name -> team id (the first team to claim an alias keeps it)
CREATE OR REPLACE TEMP TABLE tp_alias AS
SELECT alias, team FROM (
    SELECT team AS alias, team, seed_order, 0 AS k FROM tp_seed_teams
    UNION ALL SELECT name, team, seed_order, 1 FROM tp_seed_teams WHERE name IS NOT NULL
    UNION ALL SELECT name_zh, team, seed_order, 2 FROM tp_seed_teams WHERE name_zh IS NOT NULL)
QUALIFY row_number() OVER (PARTITION BY alias ORDER BY seed_order, k) = 1;

CREATE OR REPLACE TEMP TABLE tp_members AS
SELECT trim(member) AS member, trim(team) AS team
FROM read_csv(getvariable('seeds_dir') || '/members.csv', header = true, all_varchar = true);

-- ship SLA per team (teampulse rounds hours * 3 600 000 to whole ms)
CREATE OR REPLACE TEMP TABLE tp_sla AS
SELECT trim(team) AS team, round(trim(target)::DOUBLE * 3600000)::BIGINT AS sla_ms
FROM read_csv(getvariable('seeds_dir') || '/targets.csv', header = true, all_varchar = true)
WHERE trim(metric) = 'ship_sla_h';

-- An order's team comes from the first of: its team column (alias -> id), its store, its warehouse.
-- Each lookup table carries the team's ship SLA as well, so no join on the resolved team is needed.
CREATE OR REPLACE TEMP MACRO tp_default_sla_ms() AS round(coalesce(getvariable('ship_sla_h'), 24)::DOUBLE * 3600000)::BIGINT;
CREATE OR REPLACE TEMP TABLE tp_alias_sla AS
SELECT a.alias, a.team, coalesce(s.sla_ms, tp_default_sla_ms()) AS sla_ms FROM tp_alias a LEFT JOIN tp_sla s USING (team);
CREATE OR REPLACE TEMP TABLE tp_stores AS
SELECT trim(x.store) AS store, trim(x.team) AS team, coalesce(s.sla_ms, tp_default_sla_ms()) AS sla_ms
FROM read_csv(getvariable('seeds_dir') || '/stores.csv', header = true, all_varchar = true) x LEFT JOIN tp_sla s ON s.team = trim(x.team);
CREATE OR REPLACE TEMP TABLE tp_warehouses AS
SELECT trim(x.warehouse) AS warehouse, trim(x.team) AS team, coalesce(s.sla_ms, tp_default_sla_ms()) AS sla_ms
FROM read_csv(getvariable('seeds_dir') || '/warehouses.csv', header = true, all_varchar = true) x LEFT JOIN tp_sla s ON s.team = trim(x.team);

-- Windows: wo = order in the pipeline, nest = rank by length (windows share their end, so a record in
-- window `nest` k is in every window of rank > k), s = local start.
CREATE OR REPLACE TEMP TABLE tp_windows AS
WITH d AS (SELECT unnest(tp_window_list()) AS days, generate_subscripts(tp_window_list(), 1) AS wo)
SELECT wo, row_number() OVER (ORDER BY days, wo) AS nest, days, days::VARCHAR || 'd' AS "window",
       (getvariable('as_of')::DATE + 1 - days::INTEGER)::TIMESTAMP AS s
FROM d;
SET VARIABLE tp_max_days = (SELECT max(days) FROM tp_windows);

-- ---------------------------------------------------------------------------------------------
-- Tickets, tasks, events: read once into typed temp tables (several aggregations read them)
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE tp_tickets AS
-- team: its own, else its agent's; NULL here when neither gives one: the orders pass below supplies the
-- team of the order it names (else `unassigned`)
SELECT r.ticket_id, r.order_id,
       CASE WHEN r.team IS NOT NULL THEN coalesce(a.team, r.team) WHEN m.team IS NOT NULL THEN m.team END AS team,
       r.agent, r.category,
       r.created_at::TIMESTAMP + tp_off() AS created, r.first_response_at::TIMESTAMP + tp_off() AS fr,
       r.resolved_at::TIMESTAMP + tp_off() AS resolved,
       coalesce(r.reopens, 0) AS reopens, r.escalated_to IS NOT NULL AS escalated,
       coalesce(ea.team, r.escalated_to) AS escalated_team, r.csat
FROM read_csv(getvariable('tickets_path'), header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
              columns = {'ticket_id': 'VARCHAR', 'order_id': 'VARCHAR', 'team': 'VARCHAR', 'agent': 'VARCHAR',
                         'channel': 'VARCHAR', 'category': 'VARCHAR', 'priority': 'VARCHAR',
                         'created_at': 'TIMESTAMPTZ', 'first_response_at': 'TIMESTAMPTZ', 'resolved_at': 'TIMESTAMPTZ',
                         'status': 'VARCHAR', 'reopens': 'INTEGER', 'escalated_to': 'VARCHAR', 'csat': 'INTEGER',
                         'subject': 'VARCHAR'}) r
LEFT JOIN tp_alias a ON a.alias = r.team
LEFT JOIN tp_alias ea ON ea.alias = r.escalated_to
LEFT JOIN tp_members m ON m.member = r.agent;

CREATE OR REPLACE TEMP TABLE tp_tasks AS
SELECT CASE WHEN r.team IS NOT NULL THEN coalesce(a.team, r.team) WHEN m.team IS NOT NULL THEN m.team ELSE 'unassigned' END AS team,
       r.assignee, coalesce(ra.team, r.requester_team) AS requester,
       r.created_at AS created, r.started_at AS started, (r.due_at + 1)::TIMESTAMP AS due_excl, r.completed_at AS completed
FROM read_csv(getvariable('tasks_path'), header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
              columns = {'task_id': 'VARCHAR', 'title': 'VARCHAR', 'team': 'VARCHAR', 'assignee': 'VARCHAR',
                         'requester_team': 'VARCHAR', 'created_at': 'TIMESTAMP', 'started_at': 'TIMESTAMP',
                         'due_at': 'DATE', 'completed_at': 'TIMESTAMP', 'status': 'VARCHAR', 'priority': 'VARCHAR',
                         'depends_on': 'VARCHAR', 'collaborators': 'VARCHAR'}) r
LEFT JOIN tp_alias a ON a.alias = r.team
LEFT JOIN tp_alias ra ON ra.alias = r.requester_team
LEFT JOIN tp_members m ON m.member = r.assignee;

-- Events known at the end, with their position in the file (`seq`, the tie-breaker of equal times).
-- An item is resolved at an event whose activity, lower case, without spaces around it and after an
-- optional `...:` / `...=` prefix, is a resolution word (or ServiceNow's state 6 / 7).
CREATE OR REPLACE TEMP TABLE tp_events AS
WITH r AS (
    SELECT row_number() OVER () AS seq, *
    FROM read_csv(getvariable('events_path'), header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
                  columns = {'item_id': 'VARCHAR', 'item_kind': 'VARCHAR', 'at': 'TIMESTAMPTZ', 'actor': 'VARCHAR',
                             'team': 'VARCHAR', 'activity': 'VARCHAR'}))
SELECT r.seq, coalesce(lower(r.item_kind), '') AS item_kind, r.item_id, r.at::TIMESTAMP + tp_off() AS ts,
       CASE WHEN r.team IS NOT NULL THEN coalesce(a.team, r.team) ELSE m.team END AS team,   -- else the actor's team
       lower(trim(CASE WHEN contains(r.activity, ':') OR contains(r.activity, '=') THEN regexp_extract(r.activity, '[:=]([^:=]*)$', 1) ELSE r.activity END))
           IN ('resolved', 'closed', 'done', 'solved', 'completed', 'complete', '6', '7') AS is_resolution
FROM r LEFT JOIN tp_alias a ON a.alias = r.team LEFT JOIN tp_members m ON m.member = r.actor
WHERE r.at::TIMESTAMP + tp_off() < tp_end();

-- ---------------------------------------------------------------------------------------------
-- Orders: one pass from the CSV reader into one aggregation
-- ---------------------------------------------------------------------------------------------
-- Tickets per linked order: the windows (a suffix of the nested windows) their creation lies in, and
-- whether a ticket without a team needs the order's.
CREATE OR REPLACE TEMP TABLE tp_tickets_by_order AS
WITH x AS (
    SELECT t.order_id, w.nest, count(*) AS n, max(t.created) AS last_created
    FROM tp_tickets t JOIN tp_windows w ON t.created >= w.s
    WHERE t.order_id IS NOT NULL AND t.created < tp_end()
    GROUP BY ALL),
y AS (SELECT order_id, max(last_created) AS last_created, min(nest) AS first_nest, list(n ORDER BY nest) AS n_by_nest
      FROM x GROUP BY order_id),
f AS (SELECT DISTINCT order_id FROM tp_tickets WHERE team IS NULL AND order_id IS NOT NULL)
SELECT order_id, y.last_created, y.first_nest, y.n_by_nest, f.order_id IS NOT NULL AS gives_team
FROM y FULL JOIN f USING (order_id);

CREATE OR REPLACE TEMP TABLE tp_agg_orders AS
WITH o AS (
    SELECT CASE WHEN r."负责团队" IS NOT NULL THEN coalesce(a.team, r."负责团队") WHEN s.team IS NOT NULL THEN s.team
                WHEN w.team IS NOT NULL THEN w.team ELSE 'unassigned' END AS team,
           CASE WHEN r."负责团队" IS NOT NULL THEN coalesce(a.sla_ms, tp_default_sla_ms()) WHEN s.team IS NOT NULL THEN s.sla_ms
                WHEN w.team IS NOT NULL THEN w.sla_ms ELSE tp_default_sla_ms() END AS sla_ms,
           r."下单时间" AS created, r."付款时间" AS paid, r."发货时间" AS shipped, r."签收时间" AS delivered,
           r."订单状态" AS status, r."实付金额" AS amount, r."承诺发货时间" AS ship_by,
           k.last_created AS ticket_created, k.first_nest AS ticket_nest, k.n_by_nest,
           CASE WHEN k.gives_team THEN r."订单编号" END AS team_for_tickets
    FROM read_csv(getvariable('orders_path'), header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
                  columns = {'订单编号': 'VARCHAR', '店铺名称': 'VARCHAR', '负责团队': 'VARCHAR', '下单时间': 'TIMESTAMP',
                             '付款时间': 'TIMESTAMP', '发货时间': 'TIMESTAMP', '签收时间': 'TIMESTAMP', '订单状态': 'VARCHAR',
                             '实付金额': 'DECIMAL(18,4)', '币种': 'VARCHAR', '发货仓': 'VARCHAR', '快递公司': 'VARCHAR',
                             '承诺发货时间': 'DATE'}) r
    LEFT JOIN tp_alias_sla a ON a.alias = r."负责团队"
    LEFT JOIN tp_stores s ON s.store = r."店铺名称"
    LEFT JOIN tp_warehouses w ON w.warehouse = r."发货仓"
    LEFT JOIN tp_tickets_by_order k ON k.order_id = r."订单编号"),
-- per order, before the window join: everything that does not depend on the window
p AS (
    SELECT team, created, paid, delivered, ticket_created, ticket_nest, n_by_nest, amount, team_for_tickets,
           coalesce(status IN ('cancelled', 'refunded'), false) AS void,
           coalesce(status = 'cancelled', false) AS cancelled, coalesce(status = 'refunded', false) AS refunded,
           coalesce(shipped < tp_end(), false) AS shipped_known,
           epoch_ms(shipped) - epoch_ms(paid) AS ship_ms, epoch_ms(delivered) - epoch_ms(shipped) AS delivery_ms,
           -- the deadline: the end of the ship_by day, else paid_at + SLA (met when shipped <= it)
           CASE WHEN ship_by IS NOT NULL THEN shipped < ship_by + 1 ELSE epoch_ms(shipped) - epoch_ms(paid) <= sla_ms END AS on_time,
           CASE WHEN ship_by IS NOT NULL THEN ship_by + 1 <= tp_end() ELSE epoch_ms(paid) + sla_ms < epoch_ms(tp_end()) END AS deadline_passed
    FROM o),
x AS (
    SELECT p.team, w.wo, p.amount, p.void, p.cancelled, p.refunded, p.shipped_known, p.ship_ms, p.delivery_ms, p.on_time,
           p.deadline_passed, p.paid < tp_end() AS paid_known, p.team_for_tickets,
           coalesce(p.created >= w.s AND p.created < tp_end(), false) AS created_in,
           coalesce(p.paid >= w.s AND p.paid < tp_end(), false) AS paid_in,
           coalesce(p.delivered >= w.s AND p.delivered < tp_end(), false) AS delivered_in,
           CASE WHEN p.ticket_nest <= w.nest THEN p.n_by_nest[w.nest - p.ticket_nest + 1] ELSE 0 END AS contact_tickets,
           -- the snapshot ("open at end") is counted once per order: in its largest window, or its NULL row
           w.wo IS NULL OR w.days = getvariable('tp_max_days') AS snapshot_row
    FROM p LEFT JOIN tp_windows w ON greatest(p.created, p.paid, p.delivered, p.ticket_created) >= w.s)
SELECT team, wo,
       count(*) FILTER (created_in) AS orders,
       count(*) FILTER (paid_in) AS paid_orders,
       sum(amount) FILTER (paid_in AND NOT void) AS gmv_dec,
       count(amount) FILTER (paid_in AND NOT void) AS gmv_orders,
       count(*) FILTER (created_in AND cancelled) AS cancelled,
       count(*) FILTER (paid_in AND refunded) AS refunded,
       quantile_cont(ship_ms, [0.5, 0.9]) FILTER (paid_in AND shipped_known AND ship_ms >= 0) AS ship_q,
       count(*) FILTER (paid_in AND (shipped_known OR (NOT void AND deadline_passed))) AS sla_eligible,
       count(*) FILTER (paid_in AND shipped_known AND on_time) AS sla_met,
       quantile_cont(delivery_ms, [0.5, 0.9]) FILTER (delivered_in AND delivery_ms >= 0) AS delivery_q,
       count(*) FILTER (snapshot_row AND paid_known AND NOT shipped_known AND NOT void AND deadline_passed) AS unshipped_past_sla,
       sum(contact_tickets) AS contact_tickets,
       list(team_for_tickets) FILTER (snapshot_row AND team_for_tickets IS NOT NULL) AS orders_giving_team
FROM x GROUP BY ALL;

-- tickets without a team of their own or through their agent: the team of their order (when it has one)
UPDATE tp_tickets SET team = g.team
FROM (SELECT unnest(orders_giving_team) AS order_id, team FROM tp_agg_orders WHERE team <> 'unassigned') g
WHERE tp_tickets.team IS NULL AND tp_tickets.order_id = g.order_id;
UPDATE tp_tickets SET team = 'unassigned' WHERE team IS NULL;

-- ---------------------------------------------------------------------------------------------
-- Tickets and tasks: one pass each
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE tp_agg_tickets AS
WITH x AS (
    SELECT t.team, w.wo, t.agent,
           coalesce(t.created >= w.s AND t.created < tp_end(), false) AS created_in,
           coalesce(t.resolved >= w.s AND t.resolved < tp_end(), false) AS resolved_in,
           coalesce(t.resolved < tp_end(), false) AS resolved_known,
           coalesce(t.fr < tp_end(), false) AS fr_known,
           t.created < tp_end() AS created_known,
           tp_ms(t.created, t.fr) AS fr_ms, tp_ms(t.created, t.resolved) AS resolution_ms,
           t.reopens, t.escalated, t.csat,
           w.wo IS NULL OR w.days = getvariable('tp_max_days') AS snapshot_row
    FROM tp_tickets t LEFT JOIN tp_windows w ON greatest(t.created, t.resolved) >= w.s)
SELECT team, wo,
       count(*) FILTER (created_in) AS tickets_created,
       count(*) FILTER (resolved_in) AS tickets_resolved,
       count(*) FILTER (snapshot_row AND created_known AND NOT resolved_known) AS ticket_backlog,
       quantile_cont(fr_ms, [0.5, 0.9]) FILTER (created_in AND fr_known AND fr_ms >= 0) AS first_response_q,
       quantile_cont(resolution_ms, [0.5, 0.9]) FILTER (resolved_in AND resolution_ms >= 0) AS resolution_q,
       count(*) FILTER (resolved_in AND reopens > 0) AS reopened,
       count(*) FILTER (created_in AND escalated) AS escalated_n,
       sum(csat) FILTER (resolved_in) AS csat_sum,
       count(csat) FILTER (resolved_in) AS csat_n,
       count(*) FILTER (resolved_in AND csat >= 4) AS csat_satisfied
FROM x GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE tp_agg_tasks AS
WITH x AS (
    SELECT k.team, w.wo, k.requester, k.assignee,
           coalesce(k.created >= w.s AND k.created < tp_end(), false) AS created_in,
           coalesce(k.completed >= w.s AND k.completed < tp_end(), false) AS completed_in,
           NOT coalesce(k.completed < tp_end(), false) AS open_at_end,
           k.created < tp_end() AS created_known, coalesce(k.started < tp_end(), false) AS started_known,
           k.due_excl, k.completed, tp_ms(k.created, k.completed) AS lead_ms, tp_ms(k.started, k.completed) AS cycle_ms,
           w.wo IS NULL OR w.days = getvariable('tp_max_days') AS snapshot_row
    FROM tp_tasks k LEFT JOIN tp_windows w ON greatest(k.created, k.completed) >= w.s)
SELECT team, wo,
       count(*) FILTER (created_in) AS tasks_created,
       count(*) FILTER (completed_in) AS tasks_completed,
       count(*) FILTER (snapshot_row AND open_at_end AND started_known) AS wip,
       count(*) FILTER (snapshot_row AND open_at_end AND created_known AND due_excl <= tp_end()) AS overdue_open,
       count(*) FILTER (snapshot_row AND open_at_end AND created_known AND assignee IS NULL) AS unassigned_open,
       quantile_cont(lead_ms, [0.5, 0.85]) FILTER (completed_in AND lead_ms >= 0) AS lead_q,
       quantile_cont(cycle_ms, [0.5, 0.85]) FILTER (completed_in AND cycle_ms >= 0) AS cycle_q,
       count(*) FILTER (completed_in AND due_excl IS NOT NULL) AS with_due,
       count(*) FILTER (completed_in AND completed < due_excl) AS on_time,
       count(*) FILTER (completed_in AND requester IS NOT NULL AND requester <> team) AS cross_team
FROM x GROUP BY ALL;

-- requests_sent_on_time_rate: attributed to the requesting team
CREATE OR REPLACE TEMP TABLE tp_agg_requests AS
SELECT k.requester AS team, w.wo, count(*) AS requests_with_due, count(*) FILTER (k.completed < k.due_excl) AS requests_on_time
FROM tp_tasks k JOIN tp_windows w ON k.completed >= w.s
WHERE k.completed < tp_end() AND k.requester IS NOT NULL AND k.requester <> k.team AND k.due_excl IS NOT NULL
GROUP BY ALL;

-- ---------------------------------------------------------------------------------------------
-- Teams with rows: every seeded team; a team not in the seeds when any record names it (as its team,
-- requester_team or escalated_to); `unassigned` when a record belongs to it.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE tp_teams AS
SELECT team FROM tp_seed_teams
UNION SELECT team FROM tp_agg_orders
UNION SELECT team FROM tp_agg_tickets
UNION SELECT team FROM tp_agg_tasks
UNION SELECT escalated_team FROM tp_tickets WHERE escalated_team IS NOT NULL
UNION SELECT requester FROM tp_tasks WHERE requester IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- Workload and people: load = tasks completed in W (assignee) + tickets resolved in W (agent);
-- members = the team's seeded members (zero load included) + everyone with load on its records.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE tp_roster AS
WITH loads AS (
    SELECT k.team, w.wo, k.assignee AS member, count(*) AS load
    FROM tp_tasks k JOIN tp_windows w ON k.completed >= w.s
    WHERE k.completed < tp_end() AND k.assignee IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT t.team, w.wo, t.agent, count(*)
    FROM tp_tickets t JOIN tp_windows w ON t.resolved >= w.s
    WHERE t.resolved < tp_end() AND t.agent IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT m.team, w.wo, m.member, 0 FROM tp_members m CROSS JOIN tp_windows w)
SELECT team, wo, member, sum(load)::BIGINT AS load FROM loads GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE tp_agg_load AS
WITH ranked AS (
    SELECT *, row_number() OVER (PARTITION BY team, wo ORDER BY load) AS i,
           count(*) OVER (PARTITION BY team, wo) AS n,
           sum(load) OVER (PARTITION BY team, wo ORDER BY load DESC, member ROWS UNBOUNDED PRECEDING) AS load_desc_cum,
           sum(load) OVER (PARTITION BY team, wo) AS total
    FROM tp_roster)
-- the three need a roster of at least two members (empty otherwise, docs/metrics.md)
SELECT team, wo,
       CASE WHEN sum(load) > 0 AND max(n) >= 2 THEN sum((2 * i - n - 1) * load)::DOUBLE / (max(n)::DOUBLE * sum(load)::DOUBLE) END AS load_gini,
       CASE WHEN sum(load) > 0 AND max(n) >= 2 THEN max(load)::DOUBLE / sum(load)::DOUBLE END AS busiest_member_share,
       -- key-person risk: the shortest prefix of loads sorted descending whose sum x 2 >= the total
       CASE WHEN sum(load) > 0 AND max(n) >= 2 THEN count(*) FILTER (2 * (load_desc_cum - load) < total) END AS key_person_count
FROM ranked GROUP BY team, wo;

-- open items at the end per member (open: created before the end, not completed/resolved before it)
CREATE OR REPLACE TEMP TABLE tp_agg_member_wip AS
WITH open_items AS (
    SELECT team, assignee AS member, 1 AS n FROM tp_tasks
    WHERE assignee IS NOT NULL AND created < tp_end() AND NOT coalesce(completed < tp_end(), false)
    UNION ALL
    SELECT team, agent, 1 FROM tp_tickets
    WHERE agent IS NOT NULL AND created < tp_end() AND NOT coalesce(resolved < tp_end(), false)
    UNION ALL
    SELECT team, member, 0 FROM tp_members),
per_member AS (SELECT team, member, sum(n) AS wip FROM open_items GROUP BY ALL)
SELECT team, quantile_cont(wip, 0.5) AS member_wip_p50, max(wip)::DOUBLE AS member_wip_max FROM per_member GROUP BY team;

-- ticket categories of the team resolved in the last 28 days by exactly one member
CREATE OR REPLACE TEMP TABLE tp_agg_categories AS
WITH c AS (
    SELECT team, category FROM tp_tickets
    WHERE resolved >= tp_end() - INTERVAL 28 DAY AND resolved < tp_end() AND agent IS NOT NULL AND category IS NOT NULL
    GROUP BY team, category HAVING count(DISTINCT agent) = 1)
SELECT team, count(*) AS single_member_categories FROM c GROUP BY team;

-- ---------------------------------------------------------------------------------------------
-- Flow: tasks and tickets as items (created, started = started_at / first_response_at, completed)
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE tp_items AS
SELECT team, created, completed FROM tp_tasks WHERE created < tp_end()
UNION ALL
SELECT team, created, resolved FROM tp_tickets WHERE created < tp_end();

CREATE OR REPLACE TEMP TABLE tp_agg_flow_team AS
WITH x AS (
    SELECT team, NOT coalesce(completed < tp_end(), false) AS open_at_end, tp_ms(created, tp_end()) AS age_ms,
           coalesce(completed >= tp_end() - INTERVAL 28 DAY AND completed < tp_end(), false) AS recent_done,
           coalesce(completed >= tp_end() - INTERVAL 14 DAY AND completed < tp_end(), false) AS last_two_weeks,
           coalesce(completed >= tp_end() - INTERVAL 28 DAY AND completed < tp_end() - INTERVAL 14 DAY, false) AS previous_two_weeks,
           tp_ms(created, completed) AS lead_ms
    FROM tp_items),
a AS (
    SELECT team,
           count(*) FILTER (open_at_end) AS open_items,
           quantile_cont(age_ms, [0.5, 0.85]) FILTER (open_at_end) AS age_q,
           quantile_cont(lead_ms, 0.85) FILTER (recent_done AND lead_ms >= 0) AS sle_ms,
           list(age_ms) FILTER (open_at_end) AS ages,
           count(*) FILTER (last_two_weeks) - count(*) FILTER (previous_two_weeks) AS trend_diff
    FROM x GROUP BY team)
SELECT team, open_items, age_q[1] / 86400000 AS wip_age_p50_d, age_q[2] / 86400000 AS wip_age_p85_d,
       sle_ms / 86400000 AS sle_d,
       CASE WHEN sle_ms IS NOT NULL THEN length(list_filter(ages, lambda x: x / 86400000 > sle_ms / 86400000)) END AS wip_over_sle,
       trend_diff / 14 AS throughput_trend
FROM a;

CREATE OR REPLACE TEMP TABLE tp_agg_flow_window AS
SELECT i.team, w.wo,
       count(*) FILTER (i.created >= w.s) AS arrivals,
       count(*) FILTER (i.completed >= w.s AND i.completed < tp_end()) AS departures
FROM tp_items i JOIN tp_windows w ON greatest(i.created, i.completed) >= w.s
GROUP BY ALL;

-- ---------------------------------------------------------------------------------------------
-- Hand-overs (events): consecutive events of an item's team sequence with different teams
-- ---------------------------------------------------------------------------------------------
-- One sort of the events per item (by time, ties in file order) serves both: the previous team of the
-- item's team sequence (lag ignoring events without a team), and whether a resolution came before.
CREATE OR REPLACE TEMP TABLE tp_event_steps AS
SELECT item_kind, item_id, ts, team, is_resolution,
       row_number() OVER item AS pos,
       lag(team IGNORE NULLS) OVER item AS prev_team,
       coalesce(bool_or(is_resolution) OVER (item ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS after_resolution
FROM tp_events
WINDOW item AS (PARTITION BY item_kind, item_id ORDER BY ts, seq);

-- a hand-over A -> B: an event with team B whose previous team in the sequence is A <> B; a ping-pong
-- when the run before A's run was B (the previous hand-over of the item came from B)
CREATE OR REPLACE TEMP TABLE tp_handovers AS
SELECT prev_team AS from_team, team AS to_team, ts,
       coalesce(lag(prev_team) OVER (PARTITION BY item_kind, item_id ORDER BY pos) = team, false) AS ping_pong
FROM tp_event_steps WHERE team IS NOT NULL AND prev_team IS NOT NULL AND prev_team <> team;

CREATE OR REPLACE TEMP TABLE tp_agg_handovers AS
SELECT t.team, w.wo,
       count(*) FILTER (h.to_team = t.team) AS handovers_in,
       count(*) FILTER (h.from_team = t.team) AS handovers_out,
       count(*) FILTER (h.from_team = t.team AND h.ping_pong) AS ping_pongs
FROM tp_handovers h JOIN tp_windows w ON h.ts >= w.s
JOIN tp_teams t ON t.team IN (h.from_team, h.to_team)
GROUP BY ALL;

-- first-assignment resolution: items whose first resolution event is in W, by their first team (first
-- event with a team up to the resolution); resolved alone when no other team appears up to it
CREATE OR REPLACE TEMP TABLE tp_agg_first_assignment AS
WITH items AS (
    SELECT max(ts) FILTER (is_resolution) AS resolved_at, arg_min(team, pos) FILTER (team IS NOT NULL) AS first_team,
           count(DISTINCT team) AS teams
    FROM tp_event_steps WHERE NOT after_resolution
    GROUP BY item_kind, item_id HAVING bool_or(is_resolution))
SELECT first_team AS team, w.wo, count(*) AS resolved, count(*) FILTER (teams = 1) AS alone
FROM items JOIN tp_windows w ON items.resolved_at >= w.s
WHERE first_team IS NOT NULL
GROUP BY ALL;

-- ---------------------------------------------------------------------------------------------
-- The metric table
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE tp_wide AS
WITH o_snap AS (SELECT team, sum(unshipped_past_sla) AS unshipped_past_sla FROM tp_agg_orders GROUP BY team),
     t_snap AS (SELECT team, sum(ticket_backlog) AS ticket_backlog FROM tp_agg_tickets GROUP BY team),
     k_snap AS (SELECT team, sum(wip) AS wip, sum(overdue_open) AS overdue_open, sum(unassigned_open) AS unassigned_open
                FROM tp_agg_tasks GROUP BY team),
     has_events AS (SELECT coalesce(getvariable('events_given'), true) AS yes)
SELECT tm.team, w."window", w.wo, w.days,
    coalesce(o.orders, 0)::DOUBLE AS "orders",
    coalesce(o.paid_orders, 0)::DOUBLE AS paid_orders,
    coalesce(o.gmv_dec, 0)::DOUBLE AS gmv,
    CASE WHEN o.gmv_orders > 0 THEN o.gmv_dec::DOUBLE / o.gmv_orders END AS aov,
    CASE WHEN o.orders > 0 THEN o.cancelled / o.orders::DOUBLE END AS cancel_rate,
    CASE WHEN o.paid_orders > 0 THEN o.refunded / o.paid_orders::DOUBLE END AS refund_rate,
    o.ship_q[1] / 3600000 AS ship_latency_p50_h,
    o.ship_q[2] / 3600000 AS ship_latency_p90_h,
    CASE WHEN o.sla_eligible > 0 THEN o.sla_met / o.sla_eligible::DOUBLE END AS shipped_within_sla_rate,
    o.delivery_q[1] / 3600000 AS delivery_time_p50_h,
    o.delivery_q[2] / 3600000 AS delivery_time_p90_h,
    coalesce(os.unshipped_past_sla, 0)::DOUBLE AS unshipped_past_sla,
    coalesce(t.tickets_created, 0)::DOUBLE AS tickets_created,
    coalesce(t.tickets_resolved, 0)::DOUBLE AS tickets_resolved,
    coalesce(ts.ticket_backlog, 0)::DOUBLE AS ticket_backlog,
    t.first_response_q[1] / 60000 AS first_response_p50_min,
    t.first_response_q[2] / 60000 AS first_response_p90_min,
    t.resolution_q[1] / 3600000 AS resolution_p50_h,
    t.resolution_q[2] / 3600000 AS resolution_p90_h,
    CASE WHEN t.tickets_resolved > 0 THEN t.reopened / t.tickets_resolved::DOUBLE END AS reopen_rate,
    CASE WHEN t.tickets_created > 0 THEN t.escalated_n / t.tickets_created::DOUBLE END AS escalation_rate,
    CASE WHEN t.csat_n > 0 THEN t.csat_sum::DOUBLE / t.csat_n END AS csat_mean,
    CASE WHEN t.csat_n > 0 THEN t.csat_satisfied / t.csat_n::DOUBLE END AS csat_satisfied_rate,
    CASE WHEN o.orders > 0 THEN 100 * coalesce(o.contact_tickets, 0)::DOUBLE / o.orders END AS contact_rate_per_100_orders,
    coalesce(k.tasks_created, 0)::DOUBLE AS tasks_created,
    coalesce(k.tasks_completed, 0)::DOUBLE AS tasks_completed,
    coalesce(ks.wip, 0)::DOUBLE AS wip,
    coalesce(ks.overdue_open, 0)::DOUBLE AS overdue_open,
    coalesce(ks.unassigned_open, 0)::DOUBLE AS unassigned_open,
    k.lead_q[1] / 86400000 AS lead_time_p50_d,
    k.lead_q[2] / 86400000 AS lead_time_p85_d,
    k.cycle_q[1] / 86400000 AS cycle_time_p50_d,
    k.cycle_q[2] / 86400000 AS cycle_time_p85_d,
    CASE WHEN k.with_due > 0 THEN k.on_time / k.with_due::DOUBLE END AS on_time_rate,
    CASE WHEN k.tasks_completed > 0 THEN k.cross_team / k.tasks_completed::DOUBLE END AS cross_team_work_share,
    CASE WHEN r.requests_with_due > 0 THEN r.requests_on_time / r.requests_with_due::DOUBLE END AS requests_sent_on_time_rate,
    l.load_gini,
    l.busiest_member_share,
    CASE WHEN he.yes THEN coalesce(h.handovers_in, 0)::DOUBLE END AS handovers_in,
    CASE WHEN he.yes THEN coalesce(h.handovers_out, 0)::DOUBLE END AS handovers_out,
    CASE WHEN he.yes AND h.handovers_out > 0 THEN h.ping_pongs / h.handovers_out::DOUBLE END AS ping_pong_rate,
    CASE WHEN he.yes AND fa.resolved > 0 THEN fa.alone / fa.resolved::DOUBLE END AS first_assignment_resolution_rate,
    coalesce(ft.open_items, 0)::DOUBLE AS open_items,
    ft.wip_age_p50_d,
    ft.wip_age_p85_d,
    ft.sle_d,
    ft.wip_over_sle::DOUBLE AS wip_over_sle,
    (coalesce(fw.arrivals, 0) - coalesce(fw.departures, 0))::DOUBLE AS net_flow,
    coalesce(fw.departures, 0) / w.days::DOUBLE AS throughput_per_day,
    coalesce(ft.throughput_trend, 0)::DOUBLE AS throughput_trend,
    l.key_person_count::DOUBLE AS key_person_count,
    coalesce(c.single_member_categories, 0)::DOUBLE AS single_member_categories,
    mw.member_wip_p50::DOUBLE AS member_wip_p50,
    mw.member_wip_max AS member_wip_max
FROM tp_teams tm CROSS JOIN tp_windows w CROSS JOIN has_events he
LEFT JOIN tp_agg_orders o ON o.team = tm.team AND o.wo = w.wo
LEFT JOIN o_snap os ON os.team = tm.team
LEFT JOIN tp_agg_tickets t ON t.team = tm.team AND t.wo = w.wo
LEFT JOIN t_snap ts ON ts.team = tm.team
LEFT JOIN tp_agg_tasks k ON k.team = tm.team AND k.wo = w.wo
LEFT JOIN k_snap ks ON ks.team = tm.team
LEFT JOIN tp_agg_requests r ON r.team = tm.team AND r.wo = w.wo
LEFT JOIN tp_agg_load l ON l.team = tm.team AND l.wo = w.wo
LEFT JOIN tp_agg_handovers h ON h.team = tm.team AND h.wo = w.wo
LEFT JOIN tp_agg_first_assignment fa ON fa.team = tm.team AND fa.wo = w.wo
LEFT JOIN tp_agg_flow_team ft ON ft.team = tm.team
LEFT JOIN tp_agg_flow_window fw ON fw.team = tm.team AND fw.wo = w.wo
LEFT JOIN tp_agg_categories c ON c.team = tm.team
LEFT JOIN tp_agg_member_wip mw ON mw.team = tm.team;

CREATE OR REPLACE TEMP TABLE tp_catalog AS
SELECT metric, unit, row_number() OVER () AS metric_order FROM (VALUES
    ('orders', 'count'), ('paid_orders', 'count'), ('gmv', 'currency'), ('aov', 'currency'),
    ('cancel_rate', 'ratio'), ('refund_rate', 'ratio'), ('ship_latency_p50_h', 'hours'),
    ('ship_latency_p90_h', 'hours'), ('shipped_within_sla_rate', 'ratio'),
    ('delivery_time_p50_h', 'hours'), ('delivery_time_p90_h', 'hours'), ('unshipped_past_sla', 'count'),
    ('tickets_created', 'count'), ('tickets_resolved', 'count'), ('ticket_backlog', 'count'),
    ('first_response_p50_min', 'minutes'), ('first_response_p90_min', 'minutes'),
    ('resolution_p50_h', 'hours'), ('resolution_p90_h', 'hours'), ('reopen_rate', 'ratio'),
    ('escalation_rate', 'ratio'), ('csat_mean', 'score'), ('csat_satisfied_rate', 'ratio'),
    ('contact_rate_per_100_orders', 'per_100_orders'),
    ('tasks_created', 'count'), ('tasks_completed', 'count'), ('wip', 'count'),
    ('overdue_open', 'count'), ('unassigned_open', 'count'), ('lead_time_p50_d', 'days'),
    ('lead_time_p85_d', 'days'), ('cycle_time_p50_d', 'days'), ('cycle_time_p85_d', 'days'),
    ('on_time_rate', 'ratio'), ('cross_team_work_share', 'ratio'),
    ('requests_sent_on_time_rate', 'ratio'), ('load_gini', 'ratio'), ('busiest_member_share', 'ratio'),
    ('handovers_in', 'count'), ('handovers_out', 'count'), ('ping_pong_rate', 'ratio'),
    ('first_assignment_resolution_rate', 'ratio'),
    ('open_items', 'count'), ('wip_age_p50_d', 'days'), ('wip_age_p85_d', 'days'), ('sle_d', 'days'),
    ('wip_over_sle', 'count'), ('net_flow', 'count'), ('throughput_per_day', 'per_day'),
    ('throughput_trend', 'per_day'), ('key_person_count', 'count'), ('single_member_categories', 'count'),
    ('member_wip_p50', 'count'), ('member_wip_max', 'count')
) AS c(metric, unit);

CREATE OR REPLACE TEMP TABLE tp_metrics AS
WITH long AS (
    FROM tp_wide UNPIVOT INCLUDE NULLS (value FOR metric IN (COLUMNS(* EXCLUDE (team, "window", wo, days)))))
SELECT strftime(getvariable('as_of')::DATE, '%Y-%m-%d') AS as_of, l."window", l.team, l.metric, l.value, c.unit,
       l.team AS team_order, l.wo AS window_order, c.metric_order
FROM long l JOIN tp_catalog c USING (metric);

SELECT as_of, "window", team, metric, value, unit FROM tp_metrics ORDER BY team_order, window_order, metric_order;
