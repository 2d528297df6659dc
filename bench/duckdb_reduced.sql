-- The reduced lower bound: 18 metrics per team over the whole files (no windows), written as fast as
-- DuckDB allows — the "DuckDB reduced" row of `make bench` and the headline ratio's denominator.
-- teampulse computes far more (the full catalogue, three windows, data tests, every output file); this is
-- the least a DuckDB user would run for a team dashboard of the same exports.
--
-- PARAMETERS — as for bench/duckdb_full.sql (bench/duckdb_run.py sets them): as_of DATE (only to name
-- the day), orders_path, tickets_path, tasks_path, seeds_dir; utc_offset_min (default 480).
--
-- Definitions (docs/metrics.md where they apply, over the whole file instead of a window):
--   teams          as teampulse attributes records: the record's team (id, English or Chinese name from
--                  seeds/teams.csv), else its store's / warehouse's (orders) or agent's / assignee's
--                  (tickets, tasks) team from the seeds, for a ticket the team of the order it names,
--                  else `unassigned`;
--   orders         all orders; paid_orders: with a paid_at; gmv: Σ amount of orders whose status is paid,
--                  shipped or delivered; cancel_rate: share with status cancelled;
--                  ship_latency_p50_h / _p90_h: shipped_at − paid_at (not negative); shipped_within_24h_rate:
--                  among shipped orders with a paid_at, share shipped at most 24 h after payment;
--   tickets        all tickets; first_response_p50_min / _p90_min: first_response_at − created_at;
--                  resolution_p50_h: resolved_at − created_at; reopen_rate: among resolved tickets, share
--                  with reopens > 0; csat_mean over resolved tickets with a score; escalation_rate: share
--                  with escalated_to set;
--   tasks          tasks_completed: with a completed_at; on_time_rate: among completed tasks with a
--                  due_at, share completed before the end of the due day; cycle_time_p50_h: completed_at −
--                  started_at in hours; cross_team_work_share: among completed tasks, share whose
--                  requester_team is set and differs from the task's team.
-- Percentiles are exact (quantile_cont: linear interpolation between closest ranks), durations that
-- end before they start are left out, an empty denominator gives NULL.
--
-- Speed: each CSV is read once, with its schema (no sniffing) and only the columns used parsed;
-- orders and tasks straight into one GROUP BY team each, tickets into a typed temp table first (the
-- orders pass needs the order ids of tickets without a team); the aggregates are joined on team.

SET TimeZone = 'UTC';
-- read_csv without sniffing gives the optimizer no row estimate (it assumes a few dozen rows): keep the
-- build side of each LEFT JOIN on the right, where the seed table is.
SET disabled_optimizers = 'build_side_probe_side';

CREATE OR REPLACE TEMP TABLE tp_seed_teams AS
SELECT row_number() OVER () AS seed_order, trim(team) AS team, nullif(trim(name), '') AS name, nullif(trim(name_zh), '') AS name_zh
FROM read_csv(getvariable('seeds_dir') || '/teams.csv', header = true, all_varchar = true);
CREATE OR REPLACE TEMP TABLE tp_alias AS
SELECT alias, team FROM (
    SELECT team AS alias, team, seed_order, 0 AS k FROM tp_seed_teams
    UNION ALL SELECT name, team, seed_order, 1 FROM tp_seed_teams WHERE name IS NOT NULL
    UNION ALL SELECT name_zh, team, seed_order, 2 FROM tp_seed_teams WHERE name_zh IS NOT NULL)
QUALIFY row_number() OVER (PARTITION BY alias ORDER BY seed_order, k) = 1;
CREATE OR REPLACE TEMP TABLE tp_members AS
SELECT trim(member) AS member, trim(team) AS team FROM read_csv(getvariable('seeds_dir') || '/members.csv', header = true, all_varchar = true);
CREATE OR REPLACE TEMP TABLE tp_stores AS
SELECT trim(store) AS store, trim(team) AS team FROM read_csv(getvariable('seeds_dir') || '/stores.csv', header = true, all_varchar = true);
CREATE OR REPLACE TEMP TABLE tp_warehouses AS
SELECT trim(warehouse) AS warehouse, trim(team) AS team FROM read_csv(getvariable('seeds_dir') || '/warehouses.csv', header = true, all_varchar = true);

-- Tickets once into a typed temp table: a ticket with no team of its own and none through its agent
-- takes the team of the order it names, so the orders pass needs their order ids first.
CREATE OR REPLACE TEMP TABLE tp_tickets AS
SELECT CASE WHEN r.team IS NOT NULL THEN coalesce(a.team, r.team) WHEN m.team IS NOT NULL THEN m.team END AS team,
       r.order_id, r.created_at, r.first_response_at, r.resolved_at, r.reopens, r.escalated_to IS NOT NULL AS escalated, r.csat
FROM read_csv(getvariable('tickets_path'), header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
              columns = {'ticket_id': 'VARCHAR', 'order_id': 'VARCHAR', 'team': 'VARCHAR', 'agent': 'VARCHAR',
                         'channel': 'VARCHAR', 'category': 'VARCHAR', 'priority': 'VARCHAR',
                         'created_at': 'TIMESTAMPTZ', 'first_response_at': 'TIMESTAMPTZ', 'resolved_at': 'TIMESTAMPTZ',
                         'status': 'VARCHAR', 'reopens': 'INTEGER', 'escalated_to': 'VARCHAR', 'csat': 'INTEGER',
                         'subject': 'VARCHAR'}) r
LEFT JOIN tp_alias a ON a.alias = r.team
LEFT JOIN tp_members m ON m.member = r.agent;
CREATE OR REPLACE TEMP TABLE tp_orders_wanted AS
SELECT DISTINCT order_id FROM tp_tickets WHERE team IS NULL AND order_id IS NOT NULL;

CREATE OR REPLACE TEMP TABLE tp_agg_orders AS
    SELECT CASE WHEN r."负责团队" IS NOT NULL THEN coalesce(a.team, r."负责团队") WHEN s.team IS NOT NULL THEN s.team
                WHEN w.team IS NOT NULL THEN w.team ELSE 'unassigned' END AS team,
           count(*) AS orders,
           count(r."付款时间") AS paid_orders,
           coalesce(sum(r."实付金额") FILTER (r."订单状态" IN ('paid', 'shipped', 'delivered')), 0)::DOUBLE AS gmv,
           count(*) FILTER (r."订单状态" = 'cancelled') / count(*) AS cancel_rate,
           quantile_cont(epoch_ms(r."发货时间") - epoch_ms(r."付款时间"), [0.5, 0.9])
               FILTER (r."发货时间" >= r."付款时间") AS ship_q,
           count(*) FILTER (r."发货时间" <= r."付款时间" + INTERVAL 24 HOUR AND r."发货时间" >= r."付款时间")
               / nullif(count(*) FILTER (r."发货时间" >= r."付款时间"), 0) AS shipped_within_24h_rate,
           list(x.order_id) FILTER (x.order_id IS NOT NULL) AS orders_giving_team
    FROM read_csv(getvariable('orders_path'), header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
                  columns = {'订单编号': 'VARCHAR', '店铺名称': 'VARCHAR', '负责团队': 'VARCHAR', '下单时间': 'TIMESTAMP',
                             '付款时间': 'TIMESTAMP', '发货时间': 'TIMESTAMP', '签收时间': 'TIMESTAMP', '订单状态': 'VARCHAR',
                             '实付金额': 'DECIMAL(18,4)', '币种': 'VARCHAR', '发货仓': 'VARCHAR', '快递公司': 'VARCHAR',
                             '承诺发货时间': 'DATE'}) r
    LEFT JOIN tp_alias a ON a.alias = r."负责团队"
    LEFT JOIN tp_stores s ON s.store = r."店铺名称"
    LEFT JOIN tp_warehouses w ON w.warehouse = r."发货仓"
    LEFT JOIN tp_orders_wanted x ON x.order_id = r."订单编号"
    GROUP BY 1;
-- the team of each wanted order that has one
CREATE OR REPLACE TEMP TABLE tp_order_team AS
SELECT unnest(orders_giving_team) AS order_id, team FROM tp_agg_orders WHERE team <> 'unassigned';

WITH
o AS (FROM tp_agg_orders),
t AS (
    SELECT coalesce(t.team, g.team, 'unassigned') AS team,
           count(*) AS tickets,
           quantile_cont(epoch_ms(t.first_response_at) - epoch_ms(t.created_at), [0.5, 0.9])
               FILTER (t.first_response_at >= t.created_at) AS first_response_q,
           quantile_cont(epoch_ms(t.resolved_at) - epoch_ms(t.created_at), 0.5) FILTER (t.resolved_at >= t.created_at) AS resolution_p50_ms,
           count(*) FILTER (t.resolved_at IS NOT NULL AND t.reopens > 0) / nullif(count(t.resolved_at), 0) AS reopen_rate,
           avg(t.csat) FILTER (t.resolved_at IS NOT NULL) AS csat_mean,
           count(*) FILTER (t.escalated) / count(*) AS escalation_rate
    FROM tp_tickets t LEFT JOIN tp_order_team g ON t.team IS NULL AND g.order_id = t.order_id
    GROUP BY 1),
k AS (
    SELECT team,
           count(completed_at) AS tasks_completed,
           count(*) FILTER (completed_at < due_at + 1) / nullif(count(due_at) FILTER (completed_at IS NOT NULL), 0) AS on_time_rate,
           quantile_cont(epoch_ms(completed_at) - epoch_ms(started_at), 0.5) FILTER (completed_at >= started_at) AS cycle_p50_ms,
           count(*) FILTER (completed_at IS NOT NULL AND requester <> team) / nullif(count(completed_at), 0) AS cross_team_work_share
    FROM (
        SELECT CASE WHEN r.team IS NOT NULL THEN coalesce(a.team, r.team) WHEN m.team IS NOT NULL THEN m.team ELSE 'unassigned' END AS team,
               coalesce(ra.team, r.requester_team) AS requester, r.started_at, r.due_at, r.completed_at
        FROM read_csv(getvariable('tasks_path'), header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
                      columns = {'task_id': 'VARCHAR', 'title': 'VARCHAR', 'team': 'VARCHAR', 'assignee': 'VARCHAR',
                                 'requester_team': 'VARCHAR', 'created_at': 'TIMESTAMP', 'started_at': 'TIMESTAMP',
                                 'due_at': 'DATE', 'completed_at': 'TIMESTAMP', 'status': 'VARCHAR', 'priority': 'VARCHAR',
                                 'depends_on': 'VARCHAR', 'collaborators': 'VARCHAR'}) r
        LEFT JOIN tp_alias a ON a.alias = r.team
        LEFT JOIN tp_alias ra ON ra.alias = r.requester_team
        LEFT JOIN tp_members m ON m.member = r.assignee)
    GROUP BY team)
SELECT strftime(getvariable('as_of')::DATE, '%Y-%m-%d') AS as_of, team,
       coalesce(o.orders, 0) AS orders, coalesce(o.paid_orders, 0) AS paid_orders, coalesce(o.gmv, 0) AS gmv, o.cancel_rate,
       o.ship_q[1] / 3600000 AS ship_latency_p50_h, o.ship_q[2] / 3600000 AS ship_latency_p90_h, o.shipped_within_24h_rate,
       coalesce(t.tickets, 0) AS tickets, t.first_response_q[1] / 60000 AS first_response_p50_min,
       t.first_response_q[2] / 60000 AS first_response_p90_min, t.resolution_p50_ms / 3600000 AS resolution_p50_h,
       t.reopen_rate, t.csat_mean, t.escalation_rate,
       coalesce(k.tasks_completed, 0) AS tasks_completed, k.on_time_rate, k.cycle_p50_ms / 3600000 AS cycle_time_p50_h,
       k.cross_team_work_share
FROM o FULL JOIN t USING (team) FULL JOIN k USING (team)
ORDER BY team;
