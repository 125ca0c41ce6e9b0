-- Median days from arrival in Belgium to each milestone, among the
-- households in guidance in the quarter that reached it (quantile_cont,
-- type 7 of Hyndman & Fan). Housing found before arrival counts negative.
SELECT coalesce(partner, 'network')                               AS partner,
       'milestone=' || milestone                                  AS breakdown,
       quantile_cont(datediff('day', arrival_date, reached_on), 0.5) AS value,
       NULL                                                       AS numerator,
       count(*)                                                   AS denominator
FROM milestones
WHERE reached_on IS NOT NULL
GROUP BY GROUPING SETS ((partner, milestone), (milestone));
