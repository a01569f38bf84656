-- An answer, the partner's move to the next step and the claim of the Telegram update that
-- carried them, in one statement: one trip to the database thread instead of five (BEGIN,
-- the claim, the answer, the move, COMMIT) on every answer. A statement is its own
-- transaction, so all three are committed together or not at all.
--
-- `answer_moves` is a view that only takes inserts; its trigger does the work. An update
-- claimed before (Telegram delivered it again) aborts the statement with 'update repeated'.
-- `update_id` is NULL when no update is to be claimed (the CLI, tests of the domain alone).

CREATE VIEW answer_moves AS
SELECT NULL AS response_id, NULL AS question_id, NULL AS value, NULL AS comment,
       NULL AS skipped, NULL AS answered_at, NULL AS next_question, NULL AS stage,
       NULL AS screen_from, NULL AS update_id, NULL AS claimed_at;

CREATE TRIGGER answer_moves_insert INSTEAD OF INSERT ON answer_moves
BEGIN
    SELECT RAISE(ABORT, 'update repeated') WHERE NEW.update_id IS NOT NULL
        AND EXISTS (SELECT 1 FROM processed_updates WHERE update_id = NEW.update_id);
    INSERT INTO processed_updates (update_id, processed_at)
        SELECT NEW.update_id, NEW.claimed_at WHERE NEW.update_id IS NOT NULL;
    INSERT INTO answers (response_id, question_id, value, comment, skipped, version,
                         answered_at)
        VALUES (NEW.response_id, NEW.question_id, NEW.value, NEW.comment, NEW.skipped, 1,
                NEW.answered_at)
        ON CONFLICT (response_id, question_id) DO UPDATE SET value = excluded.value,
            comment = excluded.comment, skipped = excluded.skipped,
            version = answers.version + 1, answered_at = excluded.answered_at;
    UPDATE responses SET current_question = NEW.next_question, stage = NEW.stage,
        draft = NULL, updated_at = NEW.answered_at, focused_at = NEW.answered_at,
        screen_from = COALESCE(NEW.screen_from, screen_from),
        state = CASE state WHEN 'not_started' THEN 'in_progress' ELSE state END,
        started_at = COALESCE(started_at, NEW.answered_at)
        WHERE id = NEW.response_id;
END;
