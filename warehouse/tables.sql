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

-- quarter_state: one row per quarter whose release the pipeline made,
-- saying what made it, so that a later run can reuse the quarter's
-- outputs while all of it is the same (internal/pipeline/reuse.go).
-- Fingerprints only: the key is never stored, only a keyed hash of a
-- fixed label.
CREATE TABLE IF NOT EXISTS quarter_state (
    quarter             VARCHAR NOT NULL,  -- 2026Q3
    inputs              VARCHAR NOT NULL,  -- release id of the files in force as the inbox manifest lists them
    release             VARCHAR NOT NULL,  -- release id made (and in the snapshot's manifest)
    key_hmac            VARCHAR NOT NULL,  -- HMAC-SHA-256 of a fixed label under the pseudonymisation key
    code_sha256         VARCHAR NOT NULL,  -- SHA-256 of the doorstroom executable
    settings_sha256     VARCHAR NOT NULL,  -- configuration files and network settings
    completeness_sha256 VARCHAR NOT NULL,  -- the quarter's completeness rows (its metrics read them)
    content_sha256      VARCHAR NOT NULL,  -- the published snapshot's content digest (its manifest)
    row_counts          VARCHAR NOT NULL   -- JSON: the quarter's rows in each table it writes
);
