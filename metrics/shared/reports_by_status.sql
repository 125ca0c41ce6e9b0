-- Reporting completeness (the inbox manifest, table completeness): the
-- partners expected to report for the quarter, or that sent a file, by
-- the status of their report:
--   on_time:  a file is in force and arrived by the deadline;
--   late:     a file is in force and arrived after the deadline;
--   rejected: files arrived, none of them was accepted;
--   missing:  expected, and no file arrived.
-- Per partner the value is 1 for its status; for the network, the number
-- of partners.
WITH s AS (
    SELECT c.partner,
           CASE WHEN NOT c.received THEN 'missing'
                WHEN NOT c.accepted THEN 'rejected'
                WHEN coalesce(c.on_time, false) THEN 'on_time'
                ELSE 'late' END AS status
    FROM completeness c, params p
    WHERE c.quarter = p.quarter AND (c.expected OR c.received)
)
SELECT coalesce(partner, 'network') AS partner,
       'status=' || status          AS breakdown,
       count(*)                     AS value,
       count(*)                     AS numerator,
       NULL                         AS denominator
FROM s
GROUP BY GROUPING SETS ((partner, status), (status));
