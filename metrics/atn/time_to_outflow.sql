-- The follow-up of every trajectory of the quarter's register, the input
-- of the Kaplan–Meier and Aalen–Johansen estimators (metrics/survival.go):
-- days from intake to outflow, with the outflow class, or, for a
-- trajectory still open, days from intake to the quarter's last day with
-- no class (censored: it lasted at least that long). A trajectory that
-- ends on its intake day has 0 days and is kept.
SELECT r.partner,
       datediff('day', r.intake_date, least(coalesce(r.outflow_date, p.quarter_end), p.quarter_end)) AS days,
       CASE WHEN r.outflow_date <= p.quarter_end THEN r.outflow_class END                           AS class
FROM register_q r, params p
WHERE r.intake_date <= p.quarter_end;
