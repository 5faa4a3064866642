#pragma once
// The schema of long-term memory (a migration in migrations.cpp). Memories of the encrypted
// tier hold nonce || ciphertext in `content` and are kept out of the full-text index; the
// index reads the text of the others from `memories` itself (external content), kept in
// step by triggers, so a user deletion that cascades cleans the index as well.
namespace companion::store::sqlite {

inline constexpr const char* memory_schema = R"sql(
CREATE TABLE memories (
  id               INTEGER PRIMARY KEY,
  memory_id        TEXT NOT NULL UNIQUE,
  user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  content          BLOB NOT NULL,
  sealed           INTEGER NOT NULL DEFAULT 0,
  fingerprint      TEXT NOT NULL,
  category         TEXT NOT NULL,
  importance       REAL NOT NULL,
  tags             TEXT NOT NULL DEFAULT '[]',
  tier             TEXT NOT NULL,
  expires_at       INTEGER,
  source           TEXT NOT NULL,
  session_id       TEXT NOT NULL DEFAULT '',
  slot             TEXT NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL,
  last_accessed_at INTEGER NOT NULL,
  access_count     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX memories_user ON memories(user_id, created_at);
CREATE INDEX memories_user_fingerprint ON memories(user_id, fingerprint);
CREATE INDEX memories_user_slot ON memories(user_id, slot) WHERE slot <> '';
CREATE INDEX memories_expiry ON memories(expires_at) WHERE expires_at IS NOT NULL;

CREATE VIRTUAL TABLE memories_fts USING fts5(
  content, content = 'memories', content_rowid = 'id', tokenize = 'porter unicode61');
CREATE TRIGGER memories_fts_insert AFTER INSERT ON memories WHEN new.sealed = 0 BEGIN
  INSERT INTO memories_fts (rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories WHEN old.sealed = 0 BEGIN
  INSERT INTO memories_fts (memories_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER memories_fts_update_old AFTER UPDATE OF content, sealed ON memories
WHEN old.sealed = 0 BEGIN
  INSERT INTO memories_fts (memories_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER memories_fts_update_new AFTER UPDATE OF content, sealed ON memories
WHEN new.sealed = 0 BEGIN
  INSERT INTO memories_fts (rowid, content) VALUES (new.id, new.content);
END;

CREATE TABLE memory_vectors (
  memory_id INTEGER PRIMARY KEY REFERENCES memories(id) ON DELETE CASCADE,
  space_id  TEXT NOT NULL,
  dimension INTEGER NOT NULL,
  vector    BLOB NOT NULL
);
)sql";

}  // namespace companion::store::sqlite
