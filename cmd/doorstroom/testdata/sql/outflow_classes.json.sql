-- How closed trajectories ended, by class, in the latest release.
SELECT outflow_class, count(*) AS trajectories,
       round(100 * count(*) / sum(count(*)) OVER (), 1) AS pct
FROM trajectories
WHERE quarter = (SELECT max(quarter) FROM releases) AND outflow_class IS NOT NULL
GROUP BY outflow_class
ORDER BY trajectories DESC, outflow_class;
