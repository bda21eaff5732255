-- Finance console: money-moving requests (payments, renewals, unsubscriptions, transfers), keyed
-- by what they do and to what state, so a double click, a browser retry or a second tab cannot
-- send the same one twice. Times are milliseconds since the Unix epoch (UTC).
CREATE TABLE IF NOT EXISTS money_requests (
    request_key TEXT PRIMARY KEY,
    account     TEXT NOT NULL,
    iam_user    TEXT NOT NULL,
    action      TEXT NOT NULL,
    -- sending: claimed, the call is under way; succeeded; failed (known not to have happened);
    -- unknown (the call may have happened: never repeated automatically).
    state       TEXT NOT NULL,
    result      TEXT,
    audit_id    BIGINT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
