-- Lump sums due in the quarter per guidance year: year=1 is the sum of the
-- first year's rules (lump_sums_first_year), year=2 the second year's
-- (lump_sums_second_year). numerator: the persons of the households the
-- sums are due for (a person counts once per year).
WITH first AS (
    SELECT r.partner, r.household_size,
           3000 * r.household_size
             + CASE WHEN r.direct_reception THEN 2000 + 500 * (r.household_size - 1) ELSE 0 END AS euro
    FROM register_q r, params p
    WHERE r.guidance_start_date BETWEEN p.quarter_start AND p.quarter_end
),
second AS (
    SELECT r.partner, r.household_size, 600 * r.household_size AS euro
    FROM register_q r, params p
    WHERE r.second_year
      AND r.guidance_start_date + INTERVAL 1 YEAR BETWEEN p.quarter_start AND p.quarter_end
      AND (r.guidance_end_date IS NULL OR r.guidance_end_date >= r.guidance_start_date + INTERVAL 1 YEAR)
),
due AS (
    SELECT partner, '1' AS year, household_size, euro FROM first
    UNION ALL
    SELECT partner, '2', household_size, euro FROM second
)
SELECT coalesce(partner, 'network') AS partner,
       'year=' || year              AS breakdown,
       sum(euro)                    AS value,
       sum(household_size)          AS numerator,
       NULL                         AS denominator
FROM due
GROUP BY GROUPING SETS ((partner, year), (year));
