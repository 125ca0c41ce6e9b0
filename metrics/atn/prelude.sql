-- Views every metric of programme atn reads, besides params and register_q
-- (metrics/shared/params.sql, which runs first). doorstroom sets the
-- variables quarter ('2026Q3'), quarter_start and quarter_end before
-- running them. register_q holds one row per trajectory: every trajectory
-- that started on or before the quarter's last day, open or closed.
--
-- active:     trajectories active at any time in the quarter (the
--             population of most metrics): started on or before its last
--             day and not ended before its first day.
-- exits:      trajectories that ended in the quarter, with their duration
--             in days from intake to outflow (0 when they end on the
--             intake day).
--
-- Durations are whole days: datediff('day', a, b) is b − a.
CREATE OR REPLACE TEMP VIEW active AS
SELECT r.*
FROM register_q r, params p
WHERE r.intake_date <= p.quarter_end
  AND (r.outflow_date IS NULL OR r.outflow_date >= p.quarter_start);

CREATE OR REPLACE TEMP VIEW exits AS
SELECT r.*, datediff('day', r.intake_date, r.outflow_date) AS duration_days
FROM register_q r, params p
WHERE r.outflow_date BETWEEN p.quarter_start AND p.quarter_end;
