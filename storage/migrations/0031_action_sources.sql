-- The answers an agreed action was suggested in: a response's id (or an anonymous ballot's,
-- random and negative, linked to no one) and the question. The report offers each distinct
-- suggestion with the answers that made it; the board's action keeps which ones they were.
-- When an answer goes (a partner erased, a response or ballot deleted), its row goes too, so
-- an action never points at an answer that is gone.

CREATE TABLE action_sources (
    action_id    INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    response_id  INTEGER NOT NULL,
    question_id  TEXT NOT NULL,
    PRIMARY KEY (action_id, response_id, question_id)
) WITHOUT ROWID;
CREATE INDEX action_sources_answer ON action_sources(response_id, question_id);

CREATE TRIGGER action_sources_answer_gone AFTER DELETE ON answers
BEGIN
    DELETE FROM action_sources
    WHERE response_id = OLD.response_id AND question_id = OLD.question_id;
END;
CREATE TRIGGER action_sources_ballot_answer_gone AFTER DELETE ON ballot_answers
BEGIN
    DELETE FROM action_sources
    WHERE response_id = OLD.ballot_id AND question_id = OLD.question_id;
END;
CREATE TRIGGER action_sources_response_gone AFTER DELETE ON responses
BEGIN
    DELETE FROM action_sources WHERE response_id = OLD.id;
END;
CREATE TRIGGER action_sources_ballot_gone AFTER DELETE ON ballots
BEGIN
    DELETE FROM action_sources WHERE response_id = OLD.id;
END;
