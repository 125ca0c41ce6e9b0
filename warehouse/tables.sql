-- Tables the warehouse always has, whatever has been loaded yet. Stages
-- that fill them replace a quarter's rows; stages that read them can rely
-- on their columns.

-- completeness: one row per partner and quarter that is expected or for
-- which a file arrived (the inbox manifest, as DHIS2 reports it).
CREATE TABLE IF NOT EXISTS completeness (
    quarter     VARCHAR NOT NULL,   -- 2026Q3
    partner     VARCHAR NOT NULL,   -- partner code
    expected    BOOLEAN NOT NULL,   -- the configuration expects a file
    received    BOOLEAN NOT NULL,   -- at least one file arrived
    accepted    BOOLEAN NOT NULL,   -- a file is in force for the quarter
    on_time     BOOLEAN,            -- the file in force arrived by the deadline; NULL when none
    received_at TIMESTAMP,          -- when the file in force arrived; NULL when none
    deadline    DATE NOT NULL,      -- quarter end + ingest.deadline_days
    files       INTEGER NOT NULL,   -- files seen for the quarter (all statuses)
    superseded  INTEGER NOT NULL    -- of which replaced by a newer file
);
