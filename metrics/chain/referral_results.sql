-- With what result: the residents referred to VDAB by the quarter's end,
-- by their outcome then (training, employment, none; pending while the
-- centre reports no outcome yet).
SELECT coalesce(partner, 'network')          AS partner,
       'result=' || result                   AS breakdown,
       count(*)                              AS value,
       count(*)                              AS numerator,
       NULL                                  AS denominator
FROM (SELECT partner, coalesce(outcome, 'pending') AS result
      FROM register_q WHERE vdab_referral_date IS NOT NULL)
GROUP BY GROUPING SETS ((partner, result), (result));
