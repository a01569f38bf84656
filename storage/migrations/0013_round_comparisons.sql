-- Which earlier round a round is compared with ("this year against last"): chosen with
-- `rounds create --compare-with`, or the default (the latest closed round of the same
-- template with an overlapping audience) recorded when the round is created.
CREATE TABLE round_comparisons (
    round_id      INTEGER PRIMARY KEY REFERENCES rounds(id) ON DELETE CASCADE,
    compare_with  INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    chosen_by     TEXT NOT NULL CHECK (chosen_by IN ('coordinator', 'default'))
);
