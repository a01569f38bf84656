-- Themes files a coordinator edited and applied, one per round and question; reports use them.
CREATE TABLE round_themes (
    round_id     INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    question_id  TEXT NOT NULL,          -- a question id, or "<id>.comment" for its comments
    themes_toml  TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (round_id, question_id)
);
