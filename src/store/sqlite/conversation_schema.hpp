#pragma once
// The schema of the conversation store and the characters (a migration in migrations.cpp).
// Conversations are the `sessions` rows of migration 1 and turns are `messages` rows, so the
// Voice Assistant's sessions, every dialect's conversations and the user deletion counts all
// read one set of tables. Columns are added with defaults, so rows written before this
// migration stay readable: their messages count as complete, with a millisecond time taken
// from their seconds and a generated public id.
namespace companion::store::sqlite {

inline constexpr const char* conversation_schema = R"sql(
ALTER TABLE sessions ADD COLUMN character_id TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN title TEXT NOT NULL DEFAULT '';

ALTER TABLE messages ADD COLUMN external_id TEXT;
ALTER TABLE messages ADD COLUMN turn_id TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN character_id TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN created_at_ms INTEGER;
ALTER TABLE messages ADD COLUMN status TEXT NOT NULL DEFAULT 'complete';
ALTER TABLE messages ADD COLUMN model TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN emotion TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN sentiment REAL NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN intent TEXT NOT NULL DEFAULT '';

UPDATE messages SET created_at_ms = created_at * 1000 WHERE created_at_ms IS NULL;
UPDATE messages SET external_id = 'msg_' || lower(hex(randomblob(8))) WHERE external_id IS NULL;

CREATE UNIQUE INDEX messages_external_id ON messages(external_id) WHERE external_id IS NOT NULL;
-- A user's history across conversations is read in id order; this index also serves every
-- lookup the single-column index of migration 1 served, so that one goes.
DROP INDEX messages_user;
CREATE INDEX messages_user_history ON messages(user_id, id);
CREATE INDEX messages_turn ON messages(turn_id) WHERE turn_id <> '';

CREATE TABLE tool_events (
  id             INTEGER PRIMARY KEY,
  turn_id        TEXT NOT NULL,
  session_id     INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  tool           TEXT NOT NULL,
  arguments      TEXT NOT NULL DEFAULT '{}',
  ok             INTEGER NOT NULL DEFAULT 1,
  error          TEXT NOT NULL DEFAULT '',
  latency_ms     INTEGER NOT NULL DEFAULT 0,
  result_preview TEXT NOT NULL DEFAULT '',
  created_at_ms  INTEGER NOT NULL
);
CREATE INDEX tool_events_user ON tool_events(user_id, created_at_ms);
-- Deleting or clearing a conversation finds its events without a scan.
CREATE INDEX tool_events_session ON tool_events(session_id);
CREATE INDEX tool_events_turn ON tool_events(turn_id);

-- `id` is AI Coach's numeric agent id; `character_id` the text id Chattr names. Owner 0 is
-- the shared row every user sees; it cannot be a foreign key (0 is not a user), so the
-- trigger below removes a user's own characters with the user.
CREATE TABLE characters (
  id             INTEGER PRIMARY KEY,
  character_id   TEXT NOT NULL,
  bot_id         TEXT UNIQUE,
  owner_user_id  INTEGER NOT NULL DEFAULT 0,
  name           TEXT NOT NULL DEFAULT '',
  description    TEXT NOT NULL DEFAULT '',
  personality    TEXT NOT NULL DEFAULT '',
  traits         TEXT NOT NULL DEFAULT '{}',
  speaking_style TEXT NOT NULL DEFAULT 'casual',
  interests      TEXT NOT NULL DEFAULT '[]',
  background     TEXT NOT NULL DEFAULT '',
  system_prompt  TEXT NOT NULL DEFAULT '',
  language       TEXT NOT NULL DEFAULT 'en-US',
  voice_id       TEXT NOT NULL DEFAULT '',
  video_model    TEXT NOT NULL DEFAULT '',
  avatar_url     TEXT NOT NULL DEFAULT '',
  capabilities   TEXT NOT NULL DEFAULT '[]',
  model          TEXT NOT NULL DEFAULT '',
  temperature    REAL,
  max_tokens     INTEGER,
  active         INTEGER NOT NULL DEFAULT 1,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  UNIQUE (owner_user_id, character_id)
);
CREATE TRIGGER characters_owner_deleted AFTER DELETE ON users BEGIN
  DELETE FROM characters WHERE owner_user_id = old.id;
END;
)sql";

}  // namespace companion::store::sqlite
