-- Re-identification risk of each release after anonymisation.
SELECT quarter, k, after.records AS records, records_suppressed,
       after.min_class_size AS smallest_class, after.prosecutor_risk_max AS max_risk
FROM risk
ORDER BY quarter;
