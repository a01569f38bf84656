-- A suggested action a coordinator picked in /actions and is agreeing: which one (round, area
-- number, place, the digest of the wording the button showed), its wording so far (the
-- suggestion's own until they type another), the chat it was picked in, and until when a
-- message typed there is taken as its wording. Kept here, not in memory, so a restart
-- between the pick and the typed wording loses neither. One per coordinator, keyed by their
-- Telegram id (a coordinator need not be a partner).
CREATE TABLE action_picks (
    coordinator_id  INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL,
    round_id        INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    area            INTEGER NOT NULL,
    place           INTEGER NOT NULL,
    digest          TEXT NOT NULL,
    wording         TEXT NOT NULL,
    offered         TEXT NOT NULL,
    picked_at       TEXT NOT NULL,
    expires_at      TEXT NOT NULL
);
