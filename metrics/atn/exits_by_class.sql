-- Trajectories that ended in the quarter, by outflow class (durable,
-- semi-durable, no solution, forced departure, other; see the format's
-- classes).
SELECT coalesce(partner, 'network')  AS partner,
       'class=' || outflow_class     AS breakdown,
       count(*)                      AS value,
       count(*)                      AS numerator,
       NULL                          AS denominator
FROM exits
GROUP BY GROUPING SETS ((partner, outflow_class), (outflow_class));
