-- Reporting completeness: of the partners expected to report for the
-- quarter, the share from whom a file arrived (DHIS2's reporting rate).
SELECT coalesce(c.partner, 'network') AS partner,
       ''                             AS breakdown,
       count(*) FILTER (WHERE c.received) AS numerator,
       count(*)                       AS denominator,
       numerator / denominator        AS value
FROM completeness c, params p
WHERE c.quarter = p.quarter AND c.expected
GROUP BY GROUPING SETS ((c.partner), ())
HAVING count(*) > 0;
