-- The bot works in private chats only; coordinators may be limited to some partnerships.
--
-- Chats other than a private one (groups, supergroups, channels) the bot has told so, once:
-- only the chat's id and when, nothing about who wrote there.
CREATE TABLE other_chats (
    chat_id  INTEGER PRIMARY KEY,
    told_at  TEXT NOT NULL
) WITHOUT ROWID;

-- An invite link used in a group bound the group to the partner; a partner's chat is their
-- private chat (whose id is their user id) or none. Messages still queued for a group go
-- nowhere; the partner rejoins with a new link.
UPDATE outbox SET state = 'cancelled', last_error = 'not a private chat'
    WHERE state IN ('pending', 'sending')
      AND chat_id IN (SELECT chat_id FROM partners
                      WHERE chat_id IS NOT NULL AND chat_id <> telegram_user_id);
UPDATE partners SET chat_id = NULL WHERE chat_id IS NOT NULL AND chat_id <> telegram_user_id;

-- A coordinator added with partnerships may act only on rounds whose audience lies within
-- them; one with no rows here is global (as every coordinator was before).
CREATE TABLE coordinator_partnerships (
    telegram_user_id  INTEGER NOT NULL REFERENCES coordinators(telegram_user_id)
                      ON DELETE CASCADE,
    partnership       TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (telegram_user_id, partnership)
) WITHOUT ROWID;
