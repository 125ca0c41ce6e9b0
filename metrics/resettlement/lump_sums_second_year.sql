-- Lump sums due for a second guidance year: EUR 600 for every person of a
-- household whose partner gives a second year (second_year = yes), due
-- when that year starts in the quarter (a year after the guidance
-- started) and the guidance has not ended before it.
-- value: the amount in euro; numerator: the persons it is due for.
WITH second AS (
    SELECT r.partner, r.household_size
    FROM register_q r, params p
    WHERE r.second_year
      AND r.guidance_start_date + INTERVAL 1 YEAR BETWEEN p.quarter_start AND p.quarter_end
      AND (r.guidance_end_date IS NULL OR r.guidance_end_date >= r.guidance_start_date + INTERVAL 1 YEAR)
)
SELECT coalesce(partner, 'network') AS partner,
       ''                           AS breakdown,
       sum(600 * household_size)    AS value,
       sum(household_size)          AS numerator,
       NULL                         AS denominator
FROM second
GROUP BY GROUPING SETS ((partner), ());
