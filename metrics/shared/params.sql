-- Views every programme's metrics read (the prelude of reports.yaml,
-- which every catalogue includes, so it runs before the programme's own
-- prelude). doorstroom sets the variables quarter ('2026Q3'),
-- quarter_start and quarter_end before running them.
--
-- params:     the quarter and its first and last day.
-- register_q: the quarter's register, one row per unit (trajectory,
--             household, resident) as the partners reported it at the
--             quarter's end. A later quarter's register also corrects
--             earlier quarters.
CREATE OR REPLACE TEMP VIEW params AS
SELECT getvariable('quarter')              AS quarter,
       CAST(getvariable('quarter_start') AS DATE) AS quarter_start,
       CAST(getvariable('quarter_end') AS DATE)   AS quarter_end;

-- register_q compares the quarter with the variable itself, not with
-- params: the warehouse's register is a view over one table per quarter
-- (quarters.register_2026Q3), and a constant lets DuckDB leave the other
-- quarters' tables unread, where a join with params would read them all.
CREATE OR REPLACE TEMP VIEW register_q AS
SELECT r.* FROM register r WHERE r.quarter = getvariable('quarter');
