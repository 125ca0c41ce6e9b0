-- Households in guidance in the quarter, per partner and for the network.
SELECT coalesce(partner, 'network') AS partner,
       ''                           AS breakdown,
       count(*)                     AS value,
       count(*)                     AS numerator,
       NULL                         AS denominator
FROM active
GROUP BY GROUPING SETS ((partner), ());
