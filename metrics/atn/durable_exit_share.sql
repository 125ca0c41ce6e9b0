-- Of the trajectories that ended in the quarter, the share that ended
-- durably (class durable: legal residence, voluntary return, onward
-- migration).
SELECT coalesce(partner, 'network') AS partner,
       ''                           AS breakdown,
       count(*) FILTER (WHERE outflow_class = 'durable') AS numerator,
       count(*)                     AS denominator,
       numerator / denominator      AS value
FROM exits
GROUP BY GROUPING SETS ((partner), ())
HAVING count(*) > 0;
