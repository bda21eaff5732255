-- Portal launches. A launch token is used once (its id is kept until it would have expired anyway);
-- the one-time launch URL it yields names a sealed pending session for at most 60 seconds.
-- Times are milliseconds since the Unix epoch (UTC).
CREATE TABLE IF NOT EXISTS launch_tokens_used (
    jti         TEXT PRIMARY KEY,
    portal_user TEXT NOT NULL,
    used_at     BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS launches (
    -- SHA-256 of the code in the URL: the code itself is never stored.
    code_hash  TEXT PRIMARY KEY,
    -- The pending session, sealed with the session key.
    sealed     TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
