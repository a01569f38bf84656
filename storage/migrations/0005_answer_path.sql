-- The answer path, made safe to repeat and pointed at the round a partner is looking at.
--
-- 1. An upsert on `answers` (INSERT ... ON CONFLICT DO UPDATE) passes its conflict policy to
--    the statements its triggers run, overriding their INSERT OR IGNORE: re-answering with a
--    text still waiting in embed_queue failed with "UNIQUE constraint failed". The triggers now
--    insert only what is not already queued, so no statement of theirs can conflict at all.
-- 2. `focused_at`: when the partner last opened, continued or pressed a button in this round.
--    A typed message belongs to the round focused most recently, not the one answered last.

DROP TRIGGER answers_queue_insert;
DROP TRIGGER answers_queue_update;

CREATE TRIGGER answers_queue_insert AFTER INSERT ON answers
BEGIN
    INSERT INTO embed_queue (text)
    SELECT json_extract(NEW.value, '$') WHERE NEW.value IS NOT NULL
        AND json_valid(NEW.value) AND json_type(NEW.value) = 'text'
        AND NOT EXISTS (SELECT 1 FROM embed_queue WHERE text = json_extract(NEW.value, '$'));
    INSERT INTO embed_queue (text)
    SELECT NEW.comment WHERE NEW.comment IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM embed_queue WHERE text = NEW.comment);
END;

CREATE TRIGGER answers_queue_update AFTER UPDATE OF value, comment ON answers
BEGIN
    INSERT INTO embed_queue (text)
    SELECT json_extract(NEW.value, '$') WHERE NEW.value IS NOT NULL
        AND json_valid(NEW.value) AND json_type(NEW.value) = 'text'
        AND NOT EXISTS (SELECT 1 FROM embed_queue WHERE text = json_extract(NEW.value, '$'));
    INSERT INTO embed_queue (text)
    SELECT NEW.comment WHERE NEW.comment IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM embed_queue WHERE text = NEW.comment);
END;

ALTER TABLE responses ADD COLUMN focused_at TEXT;
