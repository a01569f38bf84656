-- Sentence vectors of answer texts, worked out in the background when answers are stored,
-- so a report does not wait for the model. Keyed by the text itself (its hash), never by the
-- response: nothing here links a text to a partner, and identical texts are embedded once.

CREATE TABLE embed_queue (
    text       TEXT PRIMARY KEY,
    queued_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE text_vectors (
    text_hash  TEXT NOT NULL,            -- sha256 of the text
    model      TEXT NOT NULL,            -- the embedder and its dimension, e.g. name/384
    vector     BLOB NOT NULL,            -- float32, L2-normalised
    PRIMARY KEY (text_hash, model)
);

CREATE TRIGGER answers_queue_insert AFTER INSERT ON answers
BEGIN
    INSERT OR IGNORE INTO embed_queue (text)
    SELECT json_extract(NEW.value, '$') WHERE NEW.value IS NOT NULL
        AND json_valid(NEW.value) AND json_type(NEW.value) = 'text';
    INSERT OR IGNORE INTO embed_queue (text)
    SELECT NEW.comment WHERE NEW.comment IS NOT NULL;
END;

CREATE TRIGGER answers_queue_update AFTER UPDATE OF value, comment ON answers
BEGIN
    INSERT OR IGNORE INTO embed_queue (text)
    SELECT json_extract(NEW.value, '$') WHERE NEW.value IS NOT NULL
        AND json_valid(NEW.value) AND json_type(NEW.value) = 'text';
    INSERT OR IGNORE INTO embed_queue (text)
    SELECT NEW.comment WHERE NEW.comment IS NOT NULL;
END;
