-- Preferences kept per Huawei identity (account + IAM user), such as the UI language.
CREATE TABLE IF NOT EXISTS user_preferences (
    account    TEXT NOT NULL,
    iam_user   TEXT NOT NULL,
    locale     TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account, iam_user)
);
