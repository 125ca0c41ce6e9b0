-- Share of the households in guidance in the quarter that reached each
-- milestone by the quarter's end: suitable housing (available for at
-- least a year), registration at the OCMW/CPAS, a bank account, the
-- children enrolled at school (over households with school-age children
-- only) and the next housing found.
SELECT coalesce(partner, 'network')                 AS partner,
       'milestone=' || milestone                    AS breakdown,
       count(reached_on)                            AS numerator,
       count(*)                                     AS denominator,
       count(reached_on) / count(*)                 AS value
FROM milestones
GROUP BY GROUPING SETS ((partner, milestone), (milestone));
