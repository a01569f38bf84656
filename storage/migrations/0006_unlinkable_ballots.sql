-- Anonymous ballots that nothing stored can order by who cast them when.
--
-- A rowid table keeps each row's rowid (the order it was first written) across UPDATEs, so
-- answers moved to a ballot by changing their owner still sorted in submission order. Ballots
-- and their answers now live in tables WITHOUT ROWID keyed by a random id; the storage layer
-- rebuilds the file (VACUUM) after a ballot is cast, so no page or cell position keeps the
-- order of writing either. Vectors and the embedding queue lose their rowid and time for the
-- same reason: a text's place in them told when it was written.

CREATE TABLE ballots (
    id            INTEGER PRIMARY KEY,   -- random, negative: never a response id
    round_id      INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    sector        TEXT,
    partnerships  TEXT                   -- JSON list, as on the response it came from
) WITHOUT ROWID;
CREATE INDEX ballots_round ON ballots(round_id, id);

CREATE TABLE ballot_answers (
    ballot_id    INTEGER NOT NULL REFERENCES ballots(id) ON DELETE CASCADE,
    question_id  TEXT NOT NULL,
    value        TEXT,                   -- JSON; NULL when skipped
    comment      TEXT,
    skipped      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (ballot_id, question_id)
) WITHOUT ROWID;

INSERT INTO ballots (id, round_id, sector, partnerships)
    SELECT id, round_id, sector, partnerships FROM responses WHERE is_ballot = 1 ORDER BY id;
INSERT INTO ballot_answers (ballot_id, question_id, value, comment, skipped)
    SELECT a.response_id, a.question_id, a.value, a.comment, a.skipped
    FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.is_ballot = 1
    ORDER BY a.response_id, a.question_id;
DELETE FROM answers WHERE response_id IN (SELECT id FROM responses WHERE is_ballot = 1);
DELETE FROM responses WHERE is_ballot = 1;

-- A partner's times in an anonymous round told when their ballot was cast.
UPDATE responses SET started_at = NULL, submitted_at = NULL, updated_at = NULL
    WHERE state = 'submitted'
      AND round_id IN (SELECT id FROM rounds WHERE anonymity = 'anonymous');

-- Rebuilt under the same names (no RENAME, so the triggers on answers are left as they are).
CREATE TABLE text_vectors_copy AS SELECT text_hash, model, vector FROM text_vectors;
DROP TABLE text_vectors;
CREATE TABLE text_vectors (
    text_hash  TEXT NOT NULL,            -- sha256 of the text
    model      TEXT NOT NULL,            -- the embedder and its dimension, e.g. name/384
    vector     BLOB NOT NULL,            -- float32, L2-normalised
    PRIMARY KEY (text_hash, model)
) WITHOUT ROWID;
INSERT INTO text_vectors SELECT * FROM text_vectors_copy ORDER BY text_hash, model;
DROP TABLE text_vectors_copy;

CREATE TABLE embed_queue_copy AS SELECT text FROM embed_queue;
DROP TABLE embed_queue;
CREATE TABLE embed_queue (
    text  TEXT PRIMARY KEY
) WITHOUT ROWID;
INSERT INTO embed_queue SELECT text FROM embed_queue_copy ORDER BY text;
DROP TABLE embed_queue_copy;

-- Work the storage layer owes the disk (e.g. "scrub": rebuild the file and empty the WAL after
-- a ballot is cast or a partner erased), written in the transaction that makes it due, so a
-- crash before it is done leaves it due at the next start.
CREATE TABLE upkeep (
    task  TEXT PRIMARY KEY,
    due   INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
