-- Agreed actions: what the board agreed after a round's review, with an owner, a due date and a
-- status, followed up with the owner in the chat. Their history is a list of dated notes.

CREATE TABLE actions (
    id                  INTEGER PRIMARY KEY,
    round_id            INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    text                TEXT NOT NULL,
    area                TEXT,            -- a section id of the round's questionnaire
    question_id         TEXT,            -- the question it answers, when narrower than the area
    -- The owner is a partner; an action owned by an organisation names a partner as its contact.
    -- An owner who erases themselves leaves the action without one (SET NULL), not gone.
    owner_partner_id    INTEGER REFERENCES partners(id) ON DELETE SET NULL,
    owner_organisation  TEXT,
    due_on              TEXT NOT NULL,   -- a date, YYYY-MM-DD, in the partnership's time zone
    status              TEXT NOT NULL DEFAULT 'agreed'
                        CHECK (status IN ('agreed', 'in_progress', 'done', 'dropped', 'stuck')),
    source_theme        TEXT,            -- the suggested-actions theme it was agreed from
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    created_by          INTEGER          -- a coordinator's Telegram id; NULL from the CLI
);
CREATE INDEX actions_round ON actions(round_id, area);
CREATE INDEX actions_owner ON actions(owner_partner_id, status);

-- Every change of status and every note, dated. A note an owner wrote is theirs: erasing the
-- owner erases it (CASCADE); the action keeps its current status.
CREATE TABLE action_notes (
    id              INTEGER PRIMARY KEY,
    action_id       INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    at              TEXT NOT NULL,
    status          TEXT,                -- the status set by this entry; NULL for a note alone
    note            TEXT,
    by_partner_id   INTEGER REFERENCES partners(id) ON DELETE CASCADE,
    by_role         TEXT NOT NULL CHECK (by_role IN ('owner', 'coordinator', 'cli', 'import'))
);
CREATE INDEX action_notes_action ON action_notes(action_id, at);

-- Which follow-ups of an action have gone out ("before:3", "overdue:1", ...), so each goes
-- once, across restarts. Written in the same transaction as the message it queues.
CREATE TABLE action_reminders (
    action_id  INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    point      TEXT NOT NULL,
    fired_at   TEXT NOT NULL,
    PRIMARY KEY (action_id, point)
);
