-- Share of active participants who had at least one return-counselling
-- talk with Fedasil by the quarter's end.
SELECT coalesce(partner, 'network') AS partner,
       ''                           AS breakdown,
       count(*) FILTER (WHERE fedasil_first_talk_date IS NOT NULL) AS numerator,
       count(*)                     AS denominator,
       numerator / denominator      AS value
FROM active
GROUP BY GROUPING SETS ((partner), ())
HAVING count(*) > 0;
