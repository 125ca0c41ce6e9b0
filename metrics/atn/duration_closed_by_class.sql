-- Duration in days (intake to outflow; 0 when a trajectory ends on its
-- intake day) of the trajectories that ended in the quarter, by outflow
-- class: first quartile, median and third quartile (quantile_cont, type 7
-- of Hyndman & Fan). The denominator is the number of trajectories.
WITH s AS (
    SELECT coalesce(partner, 'network')                    AS partner,
           outflow_class                                   AS class,
           quantile_cont(duration_days, [0.25, 0.5, 0.75]) AS q,
           count(*)                                        AS n
    FROM exits
    GROUP BY GROUPING SETS ((partner, outflow_class), (outflow_class))
)
SELECT partner, 'class=' || class || ';stat=q1' AS breakdown, q[1] AS value, NULL AS numerator, n AS denominator FROM s
UNION ALL
SELECT partner, 'class=' || class || ';stat=median', q[2], NULL, n FROM s
UNION ALL
SELECT partner, 'class=' || class || ';stat=q3', q[3], NULL, n FROM s;
