-- Views every metric of programme resettlement reads. doorstroom sets the
-- variables quarter ('2026Q3'), quarter_start and quarter_end first.
--
-- params:     the quarter and its first and last day (the shared
--             reporting metrics read it too).
-- register_q: the quarter's register, one row per household whose
--             guidance had started by the quarter's last day.
-- active:     households in guidance at any time in the quarter: guidance
--             started on or before its last day and not ended before its
--             first day.
-- milestones: one row per active household and milestone, with the
--             milestone's date (NULL when not reached by the quarter's
--             end) and whether the milestone applies (school only with
--             school-age children).
CREATE OR REPLACE TEMP VIEW params AS
SELECT getvariable('quarter')              AS quarter,
       CAST(getvariable('quarter_start') AS DATE) AS quarter_start,
       CAST(getvariable('quarter_end') AS DATE)   AS quarter_end;

CREATE OR REPLACE TEMP VIEW register_q AS
SELECT r.* FROM register r, params p WHERE r.quarter = p.quarter;

CREATE OR REPLACE TEMP VIEW active AS
SELECT r.*
FROM register_q r, params p
WHERE r.guidance_start_date <= p.quarter_end
  AND (r.guidance_end_date IS NULL OR r.guidance_end_date >= p.quarter_start);

CREATE OR REPLACE TEMP VIEW milestones AS
SELECT partner, arrival_date, m.milestone, m.reached_on
FROM active,
     LATERAL (VALUES ('housing', housing_date, true),
                     ('ocmw', ocmw_registration_date, true),
                     ('bank', bank_account_date, true),
                     ('school', school_enrolment_date, coalesce(children_school_age, 0) > 0),
                     ('next_housing', next_housing_date, true)) AS m(milestone, reached_on, applies)
WHERE m.applies;
