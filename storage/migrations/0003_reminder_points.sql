-- Which reminder points of a round's policy have fired (or were skipped after downtime), so each
-- fires once even across restarts. Written in the same transaction as the reminders it queues.
CREATE TABLE reminder_points (
    round_id  INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    point     TEXT NOT NULL,              -- "nudge", "before:3", "before:1"
    due_at    TEXT NOT NULL,
    fired_at  TEXT NOT NULL,
    outcome   TEXT NOT NULL CHECK (outcome IN ('sent', 'skipped')),
    queued    INTEGER NOT NULL DEFAULT 0, -- reminders queued when it fired
    PRIMARY KEY (round_id, point)
);
