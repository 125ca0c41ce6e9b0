-- Phase lead time: days from intake to the start of the exploration
-- phase, among the active participants who reached it by the quarter's
-- end: first quartile, median and third quartile (quantile_cont, type 7
-- of Hyndman & Fan). The agreement aims at about one month.
WITH d AS (
    SELECT partner, datediff('day', intake_date, exploration_date) AS days
    FROM active
    WHERE exploration_date IS NOT NULL
),
s AS (
    SELECT coalesce(partner, 'network')           AS partner,
           quantile_cont(days, [0.25, 0.5, 0.75]) AS q,
           count(*)                               AS n
    FROM d
    GROUP BY GROUPING SETS ((partner), ())
    HAVING count(*) > 0
)
SELECT partner, 'stat=q1' AS breakdown, q[1] AS value, NULL AS numerator, n AS denominator FROM s
UNION ALL
SELECT partner, 'stat=median', q[2], NULL, n FROM s
UNION ALL
SELECT partner, 'stat=q3', q[3], NULL, n FROM s;
