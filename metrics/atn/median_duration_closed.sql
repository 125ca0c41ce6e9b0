-- Median duration in days of the trajectories that ended in the quarter,
-- from intake to outflow (a trajectory that ends on its intake day lasts
-- 0 days; quantile_cont takes the mean of the two middle values when
-- their number is even). The denominator is the number of trajectories it
-- is taken over.
SELECT coalesce(partner, 'network')                  AS partner,
       ''                                            AS breakdown,
       quantile_cont(duration_days, 0.5)             AS value,
       NULL                                          AS numerator,
       count(*)                                      AS denominator
FROM exits
GROUP BY GROUPING SETS ((partner), ())
HAVING count(*) > 0;
