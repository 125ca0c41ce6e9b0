-- Views every metric of programme resettlement reads, besides params and
-- register_q (metrics/shared/params.sql, which runs first; register_q
-- holds one row per household whose guidance had started by the
-- quarter's last day).
--
-- active:     households in guidance at any time in the quarter: guidance
--             started on or before its last day and not ended before its
--             first day.
-- milestones: one row per active household and milestone, with the
--             milestone's date (NULL when not reached by the quarter's
--             end) and whether the milestone applies (school only with
--             school-age children).
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
