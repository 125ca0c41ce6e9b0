-- Share of active participants who talked with the DVZ coach, whole
-- network, quarter by quarter.
SELECT quarter, round(100 * value, 1) AS pct_with_dvz_talk, numerator, denominator
FROM metrics
WHERE metric = 'dvz_talk_share' AND partner = 'network'
ORDER BY quarter;
