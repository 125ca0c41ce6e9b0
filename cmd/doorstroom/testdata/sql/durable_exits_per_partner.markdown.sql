-- Durable exits (legal residence, voluntary return, onward migration) per
-- partner and quarter, from the published metrics; a count below the
-- release's threshold shows as <threshold.
PIVOT (
    SELECT m.partner, m.quarter,
           CASE WHEN m.suppressed THEN '<' || r.threshold
                ELSE CAST(CAST(m.value AS INTEGER) AS VARCHAR) END AS durable_exits
    FROM metrics m JOIN releases r USING (quarter)
    WHERE m.metric = 'exits_by_class' AND m.breakdown = 'class=durable'
      AND m.quarter >= '2025Q4'
) ON quarter USING first(durable_exits) GROUP BY partner ORDER BY partner;
