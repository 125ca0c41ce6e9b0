-- The referral funnel: residents who reached each step by the quarter's
-- end (steps: see the prelude), per centre and for the network. Answers
-- the playbook's first question: how many were referred.
SELECT coalesce(partner, 'network') AS partner,
       'step=' || step              AS breakdown,
       count(*)                     AS value,
       count(*)                     AS numerator,
       NULL                         AS denominator
FROM steps
GROUP BY GROUPING SETS ((partner, step), (step));
