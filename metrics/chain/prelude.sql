-- Views every metric of programme chain reads. doorstroom sets the
-- variables quarter ('2026Q3'), quarter_start and quarter_end first.
--
-- params:     the quarter and its first and last day (the shared
--             reporting metrics read it too).
-- register_q: the quarter's register: every resident the centres listed
--             at the quarter's end (arrived by then).
-- steps:      the referral funnel, one row per resident and step reached
--             by the quarter's end, with the step before it and the days
--             between them. The steps and their order:
--               arrival → prescreening → work_info → labour_market_access
--               → vdab_referral → vdab_appointment → jobseeker_registration
--               → result (an outcome of training or employment);
--             and, in parallel from the arrival, integration_referral →
--             civic_orientation.
CREATE OR REPLACE TEMP VIEW params AS
SELECT getvariable('quarter')              AS quarter,
       CAST(getvariable('quarter_start') AS DATE) AS quarter_start,
       CAST(getvariable('quarter_end') AS DATE)   AS quarter_end;

CREATE OR REPLACE TEMP VIEW register_q AS
SELECT r.* FROM register r, params p WHERE r.quarter = p.quarter;

CREATE OR REPLACE TEMP VIEW steps AS
SELECT partner, s.step, s.ord, s.previous, s.reached_on, s.previous_on
FROM register_q,
     LATERAL (VALUES
       ('arrival',                1, NULL,                   centre_arrival_date,         NULL),
       ('prescreening',           2, 'arrival',              prescreening_date,           centre_arrival_date),
       ('work_info',              3, 'prescreening',         work_info_date,              prescreening_date),
       ('labour_market_access',   4, 'work_info',            labour_market_access_date,   work_info_date),
       ('vdab_referral',          5, 'labour_market_access', vdab_referral_date,          labour_market_access_date),
       ('vdab_appointment',       6, 'vdab_referral',        vdab_appointment_date,       vdab_referral_date),
       ('jobseeker_registration', 7, 'vdab_appointment',     jobseeker_registration_date, vdab_appointment_date),
       ('result',                 8, 'jobseeker_registration',
            CASE WHEN outcome IN ('training', 'employment') THEN outcome_date END, jobseeker_registration_date),
       ('integration_referral',   9, 'arrival',              integration_referral_date,   centre_arrival_date),
       ('civic_orientation',     10, 'integration_referral', civic_orientation_date,      integration_referral_date)
     ) AS s(step, ord, previous, reached_on, previous_on)
WHERE s.reached_on IS NOT NULL;
