-- Residents in the centres' registers at the quarter's end, per centre
-- and for the network.
SELECT coalesce(partner, 'network') AS partner,
       ''                           AS breakdown,
       count(*)                     AS value,
       count(*)                     AS numerator,
       NULL                         AS denominator
FROM register_q
GROUP BY GROUPING SETS ((partner), ());
