-- Views every metric of programme chain reads, besides params and
-- register_q (metrics/shared/params.sql, which runs first; register_q
-- holds every resident the centres listed at the quarter's end).
--
-- steps:      the referral funnel, one row per resident and step reached
--             by the quarter's end, with the step before it and the days
--             between them. The steps and their order:
--               arrival → prescreening → work_info → labour_market_access
--               → vdab_referral → vdab_appointment → jobseeker_registration
--               → result (an outcome of training or employment);
--             and, in parallel from the arrival, integration_referral →
--             civic_orientation.
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
