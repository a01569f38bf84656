-- The partner's chat, cheaper per tap.
--
-- 1. An answer's earlier version is kept by a trigger, not by a statement of its own before
--    each change: one trip fewer to the database thread on every answer. `replaced_at` is the
--    new version's time, which is when the old one was replaced. The trigger inserts only, into
--    a table without unique keys besides its rowid, so no conflict policy can reach it.
-- 2. `screen_from`: the first question whose transcript line the live message carries. A
--    question answered with a button turns the live message into the next question in place,
--    its transcript lines above it, until the area changes or the partner has written below it.

CREATE TRIGGER answers_keep_history BEFORE UPDATE OF value, comment, skipped ON answers
BEGIN
    INSERT INTO answer_history (response_id, question_id, value, comment, skipped, version,
                                answered_at, replaced_at)
    VALUES (OLD.response_id, OLD.question_id, OLD.value, OLD.comment, OLD.skipped, OLD.version,
            OLD.answered_at, COALESCE(NEW.answered_at, OLD.answered_at));
END;

ALTER TABLE responses ADD COLUMN screen_from TEXT;
