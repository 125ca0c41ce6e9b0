-- Days from intake to the first talk with the DVZ coach, among the active
-- participants who had one by the quarter's end: first quartile, median
-- and third quartile (quantile_cont: linear interpolation between order
-- statistics, type 7 of Hyndman & Fan). The denominator is the number of
-- participants the statistics are taken over.
WITH d AS (
    SELECT partner, datediff('day', intake_date, dvz_first_talk_date) AS days
    FROM active
    WHERE dvz_first_talk_date IS NOT NULL
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
