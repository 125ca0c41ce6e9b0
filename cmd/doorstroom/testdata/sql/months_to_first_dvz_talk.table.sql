-- Median months from intake to the first talk with the DVZ coach, by the
-- quarter the trajectory started, in the latest release. Snapshots publish
-- months, never days: the difference is in whole calendar months.
SELECT year(strptime(intake_month, '%Y-%m')) || 'Q' || quarter(strptime(intake_month, '%Y-%m')) AS intake_quarter,
       count(*) AS started,
       count(dvz_first_talk_month) AS with_dvz_talk,
       median(date_diff('month', strptime(intake_month, '%Y-%m'), strptime(dvz_first_talk_month, '%Y-%m'))) AS median_months
FROM trajectories
WHERE quarter = (SELECT max(quarter) FROM releases)
GROUP BY intake_quarter
ORDER BY intake_quarter;
