-- Conversion from the step before: of the residents who reached the step
-- before by the quarter's end, the share who also reached this step (a
-- row of steps whose previous_on is set reached both). The arrival has no
-- step before it.
WITH reached AS (
    SELECT partner, step, count(*) AS n FROM steps GROUP BY GROUPING SETS ((partner, step), (step))
),
both_steps AS (
    SELECT partner, step, previous, count(*) AS n
    FROM steps
    WHERE previous IS NOT NULL AND previous_on IS NOT NULL
    GROUP BY GROUPING SETS ((partner, step, previous), (step, previous))
),
kinds AS (SELECT DISTINCT step, previous FROM steps WHERE previous IS NOT NULL)
SELECT coalesce(r.partner, 'network')          AS partner,
       'step=' || k.step                        AS breakdown,
       coalesce(b.n, 0)                         AS numerator,
       r.n                                      AS denominator,
       coalesce(b.n, 0) / r.n                   AS value
FROM reached r
JOIN kinds k ON k.previous = r.step
LEFT JOIN both_steps b ON b.step = k.step AND b.partner IS NOT DISTINCT FROM r.partner
WHERE r.n > 0;
