-- The one-month aim of the agreement: of the trajectories that started in
-- the quarter shifted back by one month (intake from quarter_start − 30
-- to quarter_end − 30 days), the share whose exploration phase started
-- within one month (30 days, see MonthDays) of the intake. Every member
-- of this cohort has been followed for at least a month by the quarter's
-- end, so the share is not biased by trajectories too recent to tell. A
-- trajectory that ended within the month without exploration counts as
-- not reaching it.
SELECT coalesce(r.partner, 'network') AS partner,
       ''                             AS breakdown,
       count(*) FILTER (WHERE datediff('day', r.intake_date, r.exploration_date) <= 30) AS numerator,
       count(*)                       AS denominator,
       numerator / denominator        AS value
FROM register_q r, params p
WHERE r.intake_date BETWEEN p.quarter_start - 30 AND p.quarter_end - 30
GROUP BY GROUPING SETS ((r.partner), ())
HAVING count(*) > 0;
