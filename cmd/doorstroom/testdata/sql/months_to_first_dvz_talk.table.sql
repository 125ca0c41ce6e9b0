-- Median months from intake to the first talk with the DVZ coach, per
-- release, over the trajectories whose months the release publishes at
-- month precision. Snapshots publish months, never days, and a release may
-- generalise them further (to a quarter, a year or *; see risk.levels):
-- those rows cannot say, and are left out. The exact figure in days is the
-- metric days_to_first_dvz_talk in the metrics table.
SELECT quarter,
       count(*) AS with_dvz_talk,
       median(date_diff('month', try_strptime(intake_month, '%Y-%m'),
                                 try_strptime(dvz_first_talk_month, '%Y-%m'))) AS median_months
FROM trajectories
WHERE regexp_full_match(intake_month, '\d{4}-\d{2}')
  AND regexp_full_match(dvz_first_talk_month, '\d{4}-\d{2}')
GROUP BY quarter
ORDER BY quarter;
