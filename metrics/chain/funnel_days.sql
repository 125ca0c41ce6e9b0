-- Median days from the step before to each step, among the residents who
-- reached both by the quarter's end (quantile_cont, type 7 of Hyndman &
-- Fan).
SELECT coalesce(partner, 'network')                                   AS partner,
       'step=' || step                                                AS breakdown,
       quantile_cont(datediff('day', previous_on, reached_on), 0.5)   AS value,
       NULL                                                           AS numerator,
       count(*)                                                       AS denominator
FROM steps
WHERE previous_on IS NOT NULL
GROUP BY GROUPING SETS ((partner, step), (step));
