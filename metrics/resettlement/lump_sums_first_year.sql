-- Lump sums due for the first guidance year, by the rule of Fedasil's
-- partnership model that applies, for the households whose guidance
-- started in the quarter (the year starts then):
--   rule=per_person     EUR 3,000 for every person of the household;
--   rule=direct_head    with direct reception (no earlier stay in Fedasil's
--                       network), EUR 2,000 for the head of household;
--   rule=direct_member  with direct reception, EUR 500 for every other
--                       member.
-- value: the amount in euro; numerator: the persons it is due for.
WITH starts AS (
    SELECT r.* FROM register_q r, params p
    WHERE r.guidance_start_date BETWEEN p.quarter_start AND p.quarter_end
),
due AS (
    SELECT partner, 'per_person' AS rule, household_size AS persons, 3000 * household_size AS euro FROM starts
    UNION ALL
    SELECT partner, 'direct_head', 1, 2000 FROM starts WHERE direct_reception
    UNION ALL
    SELECT partner, 'direct_member', household_size - 1, 500 * (household_size - 1) FROM starts WHERE direct_reception
)
SELECT coalesce(partner, 'network') AS partner,
       'rule=' || rule              AS breakdown,
       sum(euro)                    AS value,
       sum(persons)                 AS numerator,
       NULL                         AS denominator
FROM due
GROUP BY GROUPING SETS ((partner, rule), (rule));
