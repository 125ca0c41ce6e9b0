-- Time from intake to the first talk with the DVZ coach, per release, in
-- calendar quarters: the share of first talks held in the intake quarter
-- itself, and the median number of quarters between them. Snapshots publish
-- the intake quarter (or month) and date the talk no more precisely
-- (risk.levels, risk.max_levels); rows whose dates are coarser (a
-- suppressed record's *) cannot say and are left out. Quarters apart is not
-- a duration: an intake in March and a talk in April are one quarter apart.
-- The exact figure in days is the metric days_to_first_dvz_talk in the
-- metrics table.
WITH talks AS (
    SELECT quarter,
           CAST(left(intake_month, 4) AS INTEGER) * 4
             + CASE WHEN intake_month LIKE '____Q_' THEN CAST(right(intake_month, 1) AS INTEGER)
                    ELSE (CAST(substr(intake_month, 6, 2) AS INTEGER) + 2) // 3 END AS intake_q,
           CAST(left(dvz_first_talk_month, 4) AS INTEGER) * 4
             + CASE WHEN dvz_first_talk_month LIKE '____Q_' THEN CAST(right(dvz_first_talk_month, 1) AS INTEGER)
                    ELSE (CAST(substr(dvz_first_talk_month, 6, 2) AS INTEGER) + 2) // 3 END AS talk_q
    FROM trajectories
    WHERE regexp_full_match(intake_month, '\d{4}(-\d{2}|Q\d)')
      AND regexp_full_match(dvz_first_talk_month, '\d{4}(-\d{2}|Q\d)')
)
SELECT quarter,
       count(*) AS with_dvz_talk,
       round(100 * avg((talk_q = intake_q)::INTEGER), 1) AS pct_in_intake_quarter,
       median(talk_q - intake_q) AS median_quarters
FROM talks
GROUP BY quarter
ORDER BY quarter;
