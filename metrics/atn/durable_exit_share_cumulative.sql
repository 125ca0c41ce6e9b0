-- Of all trajectories that ended from the start of the programme up to
-- the quarter's end (as the quarter's register reports them), the share
-- that ended durably.
SELECT coalesce(r.partner, 'network') AS partner,
       ''                             AS breakdown,
       count(*) FILTER (WHERE r.outflow_class = 'durable') AS numerator,
       count(*)                       AS denominator,
       numerator / denominator        AS value
FROM register_q r, params p
WHERE r.outflow_date <= p.quarter_end
GROUP BY GROUPING SETS ((r.partner), ())
HAVING count(*) > 0;
