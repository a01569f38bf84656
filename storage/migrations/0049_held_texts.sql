-- A message a coordinator typed after their /actions pick had expired, kept until they say
-- what it is: the picked suggestion's new wording or, when they are also a partner with a
-- question open, that question's answer. The question's buttons carry the row's id; a tap
-- on one already filed (or whose pick or question has moved on) is told so. The pick's
-- suggestion (round, area, the digest of its wording) and the question (response, id) are
-- kept as they were when the message came. Erasing the partner erases what they had held
-- (`ResponseRepository.forget_partner`).
CREATE TABLE held_texts (
    id              INTEGER PRIMARY KEY,
    coordinator_id  INTEGER NOT NULL,
    chat_id         INTEGER NOT NULL,
    text            TEXT NOT NULL,
    round_id        INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    area            INTEGER NOT NULL,
    digest          TEXT NOT NULL,
    offered         TEXT NOT NULL,
    response_id     INTEGER REFERENCES responses(id) ON DELETE CASCADE,
    question_id     TEXT,
    question        TEXT,
    held_at         TEXT NOT NULL,
    filed_as        TEXT CHECK (filed_as IN ('answer', 'wording'))
);
