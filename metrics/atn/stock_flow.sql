-- Stock and flow of trajectories per partner in the quarter:
--   open_start: started before the quarter's first day and not ended
--               before it (open when the quarter began);
--   inflow:     started in the quarter;
--   outflow:    ended in the quarter;
--   open_end:   started by the quarter's last day and not ended by it.
-- open_start + inflow − outflow = open_end holds for every trajectory
-- whose outflow is not before its intake; doorstroom checks it on every
-- run (catalogue identity "stock and flow").
WITH flows AS (
    SELECT r.partner,
           coalesce(r.intake_date < p.quarter_start
                    AND (r.outflow_date IS NULL OR r.outflow_date >= p.quarter_start), false) AS open_start,
           coalesce(r.intake_date BETWEEN p.quarter_start AND p.quarter_end, false)          AS inflow,
           coalesce(r.outflow_date BETWEEN p.quarter_start AND p.quarter_end, false)         AS outflow,
           coalesce(r.intake_date <= p.quarter_end
                    AND (r.outflow_date IS NULL OR r.outflow_date > p.quarter_end), false)   AS open_end
    FROM register_q r, params p
),
long AS (
    UNPIVOT flows ON open_start, inflow, outflow, open_end INTO NAME flow VALUE counted
)
SELECT coalesce(partner, 'network')            AS partner,
       'flow=' || flow                         AS breakdown,
       count(*) FILTER (WHERE counted)         AS value,
       value                                   AS numerator,
       NULL                                    AS denominator
FROM long
GROUP BY GROUPING SETS ((partner, flow), (flow));
