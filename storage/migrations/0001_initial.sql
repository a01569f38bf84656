-- The first schema: partners and partnerships, rounds, responses and answers, the outbox.
-- Times are UTC text in one fixed-width form (YYYY-MM-DDTHH:MM:SS.ffffffZ) so they sort.

CREATE TABLE partnerships (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE partners (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL,
    organisation       TEXT NOT NULL,
    sector             TEXT NOT NULL,
    telegram_username  TEXT,
    telegram_user_id   INTEGER UNIQUE,
    chat_id            INTEGER UNIQUE,
    reachable          INTEGER NOT NULL DEFAULT 1,
    digest_opt_in      INTEGER NOT NULL DEFAULT 0,
    joined_at          TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (name, organisation)
);

-- A partner sits on one or more partnerships, in a role on each.
CREATE TABLE memberships (
    partner_id      INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    partnership_id  INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    role            TEXT NOT NULL,
    PRIMARY KEY (partner_id, partnership_id)
);

CREATE TABLE coordinators (
    telegram_user_id  INTEGER PRIMARY KEY,
    added_at          TEXT NOT NULL
);

-- Join invitations: only a hash of the single-use token is kept.
CREATE TABLE invitations (
    token_hash   TEXT PRIMARY KEY,
    partner_id   INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT
);
CREATE INDEX invitations_partner ON invitations(partner_id);

CREATE TABLE rounds (
    id               INTEGER PRIMARY KEY,
    title            TEXT NOT NULL,
    template_id      TEXT NOT NULL,
    questionnaire    TEXT NOT NULL,      -- JSON, frozen when the round is created
    audience         TEXT NOT NULL,      -- JSON: {"partnership": [...], "role": [...], "sector": [...]}
    anonymity        TEXT NOT NULL CHECK (anonymity IN ('named', 'confidential', 'anonymous')),
    opens_at         TEXT NOT NULL,
    deadline         TEXT NOT NULL,
    reminder_policy  TEXT NOT NULL,      -- JSON
    state            TEXT NOT NULL CHECK (state IN ('scheduled', 'open', 'closed')),
    created_at       TEXT NOT NULL,
    created_by       INTEGER,
    closed_at        TEXT
);

-- One row per partner invited to a round. In an anonymous round the answers move, on
-- submission, to a "ballot" row (is_ballot = 1) that has no partner, no times and a random id.
CREATE TABLE responses (
    id                INTEGER PRIMARY KEY,
    round_id          INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    partner_id        INTEGER REFERENCES partners(id) ON DELETE SET NULL,
    is_ballot         INTEGER NOT NULL DEFAULT 0,
    state             TEXT NOT NULL CHECK (state IN ('not_started', 'in_progress', 'submitted', 'withdrawn')),
    current_question  TEXT,
    stage             TEXT NOT NULL DEFAULT 'answer',
    draft             TEXT,              -- JSON: text typed or choices ticked, not yet confirmed
    screen_message_id INTEGER,           -- the chat message showing the current question
    sector            TEXT,
    organisation      TEXT,
    partnerships      TEXT,              -- JSON list of partnership names at invitation time
    invited_at        TEXT,
    started_at        TEXT,
    submitted_at      TEXT,
    updated_at        TEXT,
    reminders_sent    INTEGER NOT NULL DEFAULT 0,
    last_reminded_at  TEXT,
    UNIQUE (round_id, partner_id)
);
CREATE INDEX responses_round ON responses(round_id, state);

CREATE TABLE answers (
    response_id  INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    question_id  TEXT NOT NULL,
    value        TEXT,                   -- JSON; NULL when skipped
    comment      TEXT,
    skipped      INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1,
    answered_at  TEXT,
    PRIMARY KEY (response_id, question_id)
);

-- Earlier versions of an answer, kept when a partner edits it.
CREATE TABLE answer_history (
    id           INTEGER PRIMARY KEY,
    response_id  INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    question_id  TEXT NOT NULL,
    value        TEXT,
    comment      TEXT,
    skipped      INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    answered_at  TEXT,
    replaced_at  TEXT NOT NULL
);
CREATE INDEX answer_history_response ON answer_history(response_id, question_id);

-- Messages to send. The sender drains it at Telegram's limits and marks each row.
CREATE TABLE outbox (
    id                   INTEGER PRIMARY KEY,
    chat_id              INTEGER NOT NULL,
    partner_id           INTEGER REFERENCES partners(id) ON DELETE CASCADE,
    round_id             INTEGER REFERENCES rounds(id) ON DELETE CASCADE,
    kind                 TEXT NOT NULL,
    payload              TEXT NOT NULL,  -- JSON: text and buttons
    dedupe_key           TEXT UNIQUE,
    not_before           TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    state                TEXT NOT NULL DEFAULT 'pending'
                         CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts             INTEGER NOT NULL DEFAULT 0,
    claimed_at           TEXT,
    last_error           TEXT,
    sent_at              TEXT,
    telegram_message_id  INTEGER
);
CREATE INDEX outbox_due ON outbox(state, not_before);
CREATE INDEX outbox_round ON outbox(round_id, kind, state);

CREATE TABLE processed_updates (
    update_id     INTEGER PRIMARY KEY,
    processed_at  TEXT NOT NULL
);

CREATE TABLE digests (
    period     TEXT NOT NULL,            -- e.g. 2026-W48
    recipient  INTEGER NOT NULL,         -- a Telegram chat id
    sent_at    TEXT NOT NULL,
    summary    TEXT NOT NULL,            -- JSON figures, for "change since last week"
    PRIMARY KEY (period, recipient)
);
