-- Trajectories that ended in the quarter, by outflow type. The breakdown
-- also names the type's class (class=durable;type=voluntary_return), so
-- that the types of a class add up to it.
SELECT coalesce(partner, 'network')  AS partner,
       'class=' || outflow_class || ';type=' || outflow_type AS breakdown,
       count(*)                      AS value,
       count(*)                      AS numerator,
       NULL                          AS denominator
FROM exits
GROUP BY GROUPING SETS ((partner, outflow_class, outflow_type), (outflow_class, outflow_type));
