-- Trajectories that ended in the quarter, by outflow type.
SELECT coalesce(partner, 'network')  AS partner,
       'type=' || outflow_type       AS breakdown,
       count(*)                      AS value,
       count(*)                      AS numerator,
       NULL                          AS denominator
FROM exits
GROUP BY GROUPING SETS ((partner, outflow_type), (outflow_type));
