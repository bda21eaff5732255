-- Fleet console: the audit log, bulk jobs with their per-card lines, per-identity settings and
-- CSV exports. Times are milliseconds since the Unix epoch (UTC), the same on SQLite and PostgreSQL.

-- Every change made through fleetdesk: written before the upstream call, completed after it.
CREATE TABLE IF NOT EXISTS audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account     TEXT NOT NULL,
    iam_user    TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    parameters  TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT,
    outcome     TEXT NOT NULL,
    request_id  TEXT,
    detail      TEXT
);
CREATE INDEX IF NOT EXISTS audit_log_by_account ON audit_log (account, id);

-- A bulk job: an action over many cards, run in the background under its owner's sealed
-- credentials by whichever server process holds its lease.
CREATE TABLE IF NOT EXISTS bulk_jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account     TEXT NOT NULL,
    iam_user    TEXT NOT NULL,
    action      TEXT NOT NULL,
    selection   TEXT NOT NULL,
    state       TEXT NOT NULL,
    credentials TEXT NOT NULL,
    expected    BIGINT NOT NULL DEFAULT 0,
    examined    BIGINT NOT NULL DEFAULT 0,
    audit_id    BIGINT,
    message     TEXT,
    lease_owner TEXT,
    lease_until BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS bulk_jobs_by_state ON bulk_jobs (state, lease_until);
CREATE INDEX IF NOT EXISTS bulk_jobs_by_owner ON bulk_jobs (account, iam_user, id);

-- One card of a job. 'sending' is written before its call and replaced after it.
CREATE TABLE IF NOT EXISTS bulk_job_items (
    job_id        BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    sim_card_id   BIGINT NOT NULL,
    iccid         TEXT NOT NULL,
    state         TEXT NOT NULL,
    skipped       TEXT,
    work_order_id BIGINT,
    request_id    TEXT,
    error         TEXT,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX IF NOT EXISTS bulk_job_items_by_state ON bulk_job_items (job_id, state, seq);
CREATE UNIQUE INDEX IF NOT EXISTS bulk_job_items_once ON bulk_job_items (job_id, sim_card_id);

-- Small per-identity settings (the inventory's columns, ...).
CREATE TABLE IF NOT EXISTS user_settings (
    account    TEXT NOT NULL,
    iam_user   TEXT NOT NULL,
    name       TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (account, iam_user, name)
);

-- Progress of CSV exports (any server process may serve the progress bar).
CREATE TABLE IF NOT EXISTS exports (
    id         TEXT PRIMARY KEY,
    account    TEXT NOT NULL,
    iam_user   TEXT NOT NULL,
    expected   BIGINT NOT NULL DEFAULT 0,
    written    BIGINT NOT NULL DEFAULT 0,
    state      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
