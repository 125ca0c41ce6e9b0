-- Of the active participants who gave consent to contact the DVZ coach,
-- the share who had a first talk with the coach by the quarter's end.
SELECT coalesce(partner, 'network') AS partner,
       ''                           AS breakdown,
       count(*) FILTER (WHERE dvz_first_talk_date IS NOT NULL) AS numerator,
       count(*)                     AS denominator,
       numerator / denominator      AS value
FROM active
WHERE dvz_consent_date IS NOT NULL
GROUP BY GROUPING SETS ((partner), ())
HAVING count(*) > 0;
