-- Talks per engaged participant: among the active participants with at
-- least one talk with the DVZ coach (with=dvz), the mean number of DVZ
-- talks; among those with at least one Fedasil return talk
-- (with=fedasil), the mean number of Fedasil talks. Numerator: the talks;
-- denominator: the engaged participants.
WITH engaged AS (
    SELECT partner, 'dvz' AS body, dvz_talks AS talks
    FROM active WHERE dvz_first_talk_date IS NOT NULL
    UNION ALL
    SELECT partner, 'fedasil', fedasil_talks
    FROM active WHERE fedasil_first_talk_date IS NOT NULL
)
SELECT coalesce(partner, 'network') AS partner,
       'with=' || body              AS breakdown,
       sum(talks)                   AS numerator,
       count(*)                     AS denominator,
       numerator / denominator      AS value
FROM engaged
GROUP BY GROUPING SETS ((partner, body), (body));
