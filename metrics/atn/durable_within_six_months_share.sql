-- Rotterdam's aim: of the trajectories that started in the quarter
-- shifted back by six months (intake from quarter_start − 182 to
-- quarter_end − 182 days; six months are 182 days, see MonthDays), the
-- share that ended durably within six months of the intake. Every member
-- of this cohort has been followed for at least six months by the
-- quarter's end, so open trajectories cannot bias the share: the
-- denominator is the whole cohort, whatever became of it.
SELECT coalesce(r.partner, 'network') AS partner,
       ''                             AS breakdown,
       count(*) FILTER (WHERE r.outflow_class = 'durable'
                          AND datediff('day', r.intake_date, r.outflow_date) <= 182) AS numerator,
       count(*)                       AS denominator,
       numerator / denominator        AS value
FROM register_q r, params p
WHERE r.intake_date BETWEEN p.quarter_start - 182 AND p.quarter_end - 182
GROUP BY GROUPING SETS ((r.partner), ())
HAVING count(*) > 0;
