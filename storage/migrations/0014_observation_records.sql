-- Observation records: one observer records several partnerships' meetings in one round.
--
-- A record is a response row of its own, about one partnership (`subject`), so each is
-- answered, stored at once, resumed and changed exactly like any response. It belongs to its
-- observer through `observer_id`, not `partner_id`: the observer's invitation row keeps the
-- one (round, partner) row that status, reminders, digests and the round list count, and
-- mirrors its records (below), so none of those count an observer twice.

ALTER TABLE responses ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN observer_id INTEGER REFERENCES partners(id) ON DELETE SET NULL;

-- One record a partnership per observer and round.
CREATE UNIQUE INDEX responses_records ON responses(round_id, observer_id, subject)
    WHERE observer_id IS NOT NULL;

-- The invitation row follows its records: in progress once one is started, submitted once
-- one is submitted (never back), and looked at when one is, so that typing goes to the round.
CREATE TRIGGER records_mirror_state AFTER UPDATE OF state ON responses
WHEN NEW.observer_id IS NOT NULL AND NEW.state IN ('in_progress', 'submitted')
BEGIN
    UPDATE responses SET
        state = CASE WHEN state = 'submitted' OR NEW.state = 'submitted' THEN 'submitted'
                     ELSE 'in_progress' END,
        started_at = COALESCE(started_at, NEW.started_at),
        submitted_at = CASE WHEN NEW.state = 'submitted'
                            THEN COALESCE(submitted_at, NEW.submitted_at) ELSE submitted_at END,
        updated_at = NEW.updated_at
    WHERE round_id = NEW.round_id AND partner_id = NEW.observer_id AND observer_id IS NULL
      AND state <> 'withdrawn';
END;

CREATE TRIGGER records_mirror_focus AFTER UPDATE OF focused_at ON responses
WHEN NEW.observer_id IS NOT NULL AND NEW.focused_at IS NOT NULL
BEGIN
    UPDATE responses SET focused_at = NEW.focused_at
    WHERE round_id = NEW.round_id AND partner_id = NEW.observer_id AND observer_id IS NULL;
END;

CREATE TRIGGER records_mirror_new AFTER INSERT ON responses
WHEN NEW.observer_id IS NOT NULL AND NEW.focused_at IS NOT NULL
BEGIN
    UPDATE responses SET focused_at = NEW.focused_at
    WHERE round_id = NEW.round_id AND partner_id = NEW.observer_id AND observer_id IS NULL;
END;
