-- Reporting timeliness: of the partners expected to report for the
-- quarter, the share whose file in force arrived by the deadline (DHIS2's
-- reporting rate on time).
SELECT coalesce(c.partner, 'network') AS partner,
       ''                             AS breakdown,
       count(*) FILTER (WHERE c.accepted AND coalesce(c.on_time, false)) AS numerator,
       count(*)                       AS denominator,
       numerator / denominator        AS value
FROM completeness c, params p
WHERE c.quarter = p.quarter AND c.expected
GROUP BY GROUPING SETS ((c.partner), ())
HAVING count(*) > 0;
