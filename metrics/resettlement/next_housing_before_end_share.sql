-- Of the households whose guidance ended on or before the quarter's last
-- day (since the programme's start), the share whose next housing was
-- found on or before the day the guidance ended.
SELECT coalesce(r.partner, 'network') AS partner,
       ''                             AS breakdown,
       count(*) FILTER (WHERE r.next_housing_date <= r.guidance_end_date) AS numerator,
       count(*)                       AS denominator,
       numerator / denominator        AS value
FROM register_q r, params p
WHERE r.guidance_end_date <= p.quarter_end
GROUP BY GROUPING SETS ((r.partner), ())
HAVING count(*) > 0;
