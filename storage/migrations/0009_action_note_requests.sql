-- An owner who tapped In progress, Done or Stuck is asked for an optional note; their next typed
-- message is that note. Kept here, not in memory, so a restart between the tap and the note
-- loses nothing. One open request per partner; it lapses after a while (see surveys).
CREATE TABLE action_note_requests (
    partner_id  INTEGER PRIMARY KEY REFERENCES partners(id) ON DELETE CASCADE,
    action_id   INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    asked_at    TEXT NOT NULL
);
