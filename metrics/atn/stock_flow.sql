-- Stock and flow of trajectories per partner in the quarter:
--   open_start: started before the quarter's first day and not ended
--               before it (open when the quarter began);
--   inflow:     started in the quarter;
--   outflow:    ended in the quarter;
--   open_end:   started by the quarter's last day and not ended by it.
-- open_start + inflow − outflow = open_end holds for every trajectory
-- whose outflow is not before its intake; doorstroom checks it on every
-- run (catalogue identity "stock and flow").
--
-- The four counts are taken in one pass per partner and for the network,
-- and only those few rows are turned into one row per flow: unpivoting
-- the register first made four rows of every trajectory to count.
WITH counts AS (
    SELECT r.partner,
           count_if(r.intake_date < p.quarter_start
                    AND (r.outflow_date IS NULL OR r.outflow_date >= p.quarter_start)) AS open_start,
           count_if(r.intake_date BETWEEN p.quarter_start AND p.quarter_end)           AS inflow,
           count_if(r.outflow_date BETWEEN p.quarter_start AND p.quarter_end)          AS outflow,
           count_if(r.intake_date <= p.quarter_end
                    AND (r.outflow_date IS NULL OR r.outflow_date > p.quarter_end))    AS open_end
    FROM register_q r, params p
    GROUP BY GROUPING SETS ((r.partner), ())
    -- An empty register has no network row either.
    HAVING count(*) > 0
),
long AS (
    UNPIVOT counts ON open_start, inflow, outflow, open_end INTO NAME flow VALUE counted
)
SELECT coalesce(partner, 'network') AS partner,
       'flow=' || flow              AS breakdown,
       counted                      AS value,
       counted                      AS numerator,
       NULL                         AS denominator
FROM long;
